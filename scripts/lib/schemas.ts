/**
 * The two Prisma schemas and their clients. prisma/schema.prisma (SQLite) is the one people edit;
 * prisma/postgresql/schema.prisma is derived from it (provider and client output swapped), as
 * Prisma cannot switch a schema's provider by environment (docs/decisions/one-schema-two-providers.md).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository, or the copy of its prisma/ folder that PRISMA_TOOLS_ROOT names (the tests run
 * the scripts against a copy, so the repository is untouched).
 */
export const toolsRoot = process.env.PRISMA_TOOLS_ROOT ? path.resolve(process.env.PRISMA_TOOLS_ROOT) : fileURLToPath(new URL('../../', import.meta.url));
export const SQLITE_SCHEMA = path.join(toolsRoot, 'prisma', 'schema.prisma');
export const POSTGRES_SCHEMA = path.join(toolsRoot, 'prisma', 'postgresql', 'schema.prisma');

const HEADER = [
  '// GENERATED FILE, DO NOT EDIT.',
  '// Derived from prisma/schema.prisma by scripts/prisma-generate.ts (provider and client output',
  '// swapped for PostgreSQL). Edit prisma/schema.prisma, then run `npm run db:generate`.',
  '',
  '',
].join('\n');

/** The PostgreSQL copy of the SQLite schema text. Throws if the expected lines are missing. */
export function derivePostgresSchema(sqliteSchema: string): string {
  let providers = 0;
  let outputs = 0;
  const body = sqliteSchema
    .replace(/^(\s*provider\s*=\s*)"sqlite"/m, (_, lead: string) => {
      providers++;
      return `${lead}"postgresql"`;
    })
    .replace(/^(\s*output\s*=\s*)"\.\.\/src\/db\/generated\/sqlite"/m, (_, lead: string) => {
      outputs++;
      return `${lead}"../../src/db/generated/postgresql"`;
    });
  if (providers !== 1 || outputs !== 1) {
    throw new Error(
      'prisma/schema.prisma must contain `provider = "sqlite"` (datasource) and ' +
        '`output = "../src/db/generated/sqlite"` (generator); cannot derive the PostgreSQL schema.',
    );
  }
  return HEADER + body;
}

/** The derived schema as it should be, and whether the file on disk is that already. */
export async function derivedSchemaState(): Promise<{ wanted: string; upToDate: boolean }> {
  const wanted = derivePostgresSchema(await readFile(SQLITE_SCHEMA, 'utf8'));
  const current = existsSync(POSTGRES_SCHEMA) ? await readFile(POSTGRES_SCHEMA, 'utf8') : null;
  return { wanted, upToDate: current === wanted };
}

/** Writes the derived schema if it changed; returns true when it was written. */
async function writeDerivedSchema(): Promise<boolean> {
  const { wanted, upToDate } = await derivedSchemaState();
  if (upToDate) return false;
  await mkdir(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  await writeFile(POSTGRES_SCHEMA, wanted);
  return true;
}

/** An executable that exists on this machine; Prisma only checks it is there and never runs it for generate. */
function harmlessExecutable(): string {
  return existsSync('/bin/true') ? '/bin/true' : process.execPath;
}

/**
 * `prisma generate` for one schema. It does not use the schema engine but would still download
 * it from Prisma's binaries host unless PRISMA_SCHEMA_ENGINE_BINARY names an existing executable
 * (docs/decisions/engine-free-prisma.md).
 */
function prismaGenerate(schemaPath: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'generate', '--schema', schemaPath], {
      cwd: toolsRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || harmlessExecutable(),
        PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`prisma generate --schema ${path.relative(toolsRoot, schemaPath)} failed (exit ${code}):\n${output}`));
    });
  });
}

/** Derives the Postgres schema, then generates both clients in parallel. */
export async function generateAll({ quiet = false } = {}): Promise<void> {
  const started = performance.now();
  if ((await writeDerivedSchema()) && !quiet) console.log('Updated prisma/postgresql/schema.prisma');
  await Promise.all([prismaGenerate(SQLITE_SCHEMA), prismaGenerate(POSTGRES_SCHEMA)]);
  if (!quiet) {
    console.log(`Generated Prisma clients in src/db/generated/sqlite and src/db/generated/postgresql (${Math.round(performance.now() - started)} ms)`);
  }
}
