// Prisma's schema engine compiled to WASM (@prisma/schema-engine-wasm), loaded on Node 20 without
// the native binary that Prisma would download (see /work/shared/PRISMA.md, "Pitfalls").
//
// Only what scripts/prisma-migration.mjs needs is exposed: `diffDatabaseToSchema`, which compares
// a live database (reached through a Prisma driver adapter, as the WASM engine cannot open
// connections itself) with a Prisma schema and returns the SQL script that turns one into the other.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** @type {Promise<typeof import('@prisma/schema-engine-wasm')> | undefined} */
let modulePromise;

/**
 * Loads the WASM engine once per process. The package's entry point does
 * `import * as wasm from "./schema_engine_bg.wasm"`, which Node 20 cannot do, so the JS glue is
 * imported and the .wasm instantiated here.
 */
export function loadSchemaEngineModule() {
  modulePromise ??= (async () => {
    const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = await import(glueUrl);
    const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
    const imports = { ...bg };
    // Pitfall 9: the engine arms a 10 s timer that it never clears; without unref a one-shot
    // command keeps the process alive for 10 s after its work is done.
    for (const name of Object.keys(bg)) {
      if (name.startsWith('__wbg_setTimeout_')) {
        const original = bg[name];
        imports[name] = (...args) => {
          const timer = original(...args);
          if (timer && typeof timer.unref === 'function') timer.unref();
          return timer;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
    bg.__wbg_set_wasm(instance.exports);
    /** @type {any} */ (instance.exports).__wbindgen_start();
    return bg;
  })();
  return modulePromise;
}

/**
 * Pitfall 2: while describing a PostgreSQL schema, the engine reads pg_catalog columns of type
 * "char" (OID 18), which adapter-pg 7.10 refuses ("UnsupportedNativeDataType"). Their values are
 * plain strings, so report them as text (OID 25).
 */
function patchPgCharColumns(queryable) {
  if (typeof queryable.performIO !== 'function') return queryable;
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === 18) field.dataTypeID = 25;
    }
    return result;
  };
  if (typeof queryable.startTransaction === 'function') {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (...args) => patchPgCharColumns(await startTransaction(...args));
  }
  return queryable;
}

/**
 * Wraps a Prisma driver-adapter factory so that every connection it hands to the engine is
 * tracked (and disposed at the end: pitfall 8, SQLite stays locked otherwise), multi-statement
 * `executeRaw` goes to `executeScript` on SQLite (pitfall 1), and "char" columns work on
 * PostgreSQL (pitfall 2). There is no shadow database: callers prepare the database themselves.
 */
function trackingFactory(factory) {
  /** @type {any[]} */
  const connections = [];
  const wrap = (adapter) => {
    connections.push(adapter);
    if (factory.provider === 'postgres') patchPgCharColumns(adapter);
    if (factory.provider === 'sqlite') {
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => {
        if (query.args.length === 0 && /;\s*\S/.test(query.sql.trim().replace(/;\s*$/, ''))) {
          await adapter.executeScript(query.sql);
          return 0;
        }
        return executeRaw(query);
      };
    }
    return adapter;
  };
  const wrapped = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => {
      throw new Error('This tool does not provide a shadow database; diff against a prepared database.');
    },
  };
  return {
    factory: wrapped,
    async disposeAll() {
      for (const connection of connections.splice(0)) {
        try {
          await connection.dispose();
        } catch {
          // already closed
        }
      }
    },
  };
}

/**
 * Pitfall 10: driver errors surface as "External error id#N"; the real error is in the
 * factory's error registry. Returns an Error whose message is the most useful one available.
 */
function explainEngineError(error, bound) {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  let message = raw;
  const match = /External error id#(\d+)/.exec(raw);
  if (match && bound?.errorRegistry) {
    const record = bound.errorRegistry.consumeError(Number(match[1]));
    const cause = record?.error;
    if (cause) {
      const detail =
        cause?.cause?.originalMessage ?? cause?.cause?.message ?? cause?.message ?? JSON.stringify(cause?.cause ?? cause);
      message = `${raw}: ${detail}`;
    }
  } else if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    message = error.message;
  }
  const wrapped = new Error(`Prisma schema engine: ${message}`, { cause: error });
  return wrapped;
}

/**
 * Runs `fn` with a WASM schema engine whose database connections come from `adapterFactory`
 * (a PrismaBetterSqlite3 or PrismaPg instance). The engine and every connection it opened are
 * released afterwards, also when `fn` throws.
 *
 * @template T
 * @param {{ adapterFactory: any, schemaPath: string, schemaText: string, log?: (line: string) => void }} options
 * @param {(engine: import('@prisma/schema-engine-wasm').SchemaEngine) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withSchemaEngine({ adapterFactory, schemaPath, schemaText, log }, fn) {
  const { SchemaEngine, } = await loadSchemaEngineModule();
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const tracking = trackingFactory(adapterFactory);
  const bound = bindMigrationAwareSqlAdapterFactory(tracking.factory);
  /** @type {import('@prisma/schema-engine-wasm').SchemaEngine | undefined} */
  let engine;
  try {
    engine = await SchemaEngine.new(
      { datamodels: [[schemaPath, schemaText]] },
      (/** @type {string} */ line) => log?.(line),
      bound,
    );
    return await fn(engine);
  } catch (error) {
    throw explainEngineError(error, bound);
  } finally {
    try {
      engine?.free();
    } finally {
      await tracking.disposeAll();
    }
  }
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * The SQL that turns the database behind `adapterFactory` into what the schema describes
 * (`null` when there is nothing to do). Prisma's own `_prisma_migrations` table is ignored by
 * the engine.
 *
 * @param {{ adapterFactory: any, schemaPath: string, schemaText: string }} options
 * @returns {Promise<string | null>}
 */
export async function diffDatabaseToSchema({ adapterFactory, schemaPath, schemaText }) {
  return withSchemaEngine({ adapterFactory, schemaPath, schemaText }, async (engine) => {
    const result = await engine.diff({
      // The live database: the WASM engine reaches the "config datasource" through the adapter
      // factory ("url" targets are refused: "--from-url ... no longer supported").
      from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content: schemaText }], configDir: path.dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schemaText }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  });
}
