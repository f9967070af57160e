#!/usr/bin/env node
// Derives prisma/postgresql/schema.prisma from prisma/schema.prisma (the one schema people edit)
// and generates both Prisma clients (src/db/generated/sqlite and src/db/generated/postgresql).
//
// Runs as `postinstall`, so it must work on a fresh clone with no network beyond the npm registry:
// `prisma generate` does not use the schema engine but would still try to download it from
// binaries.prisma.sh, unless PRISMA_SCHEMA_ENGINE_BINARY points at an existing executable.
//
// Usage:
//   node scripts/prisma-generate.mjs          derive the Postgres schema, then generate both clients
//   node scripts/prisma-generate.mjs --check  only check that the derived schema is up to date (exit 1 if not)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// PRISMA_TOOLS_ROOT: run against a copy of the repository's prisma/ folder (used by the tests).
const root = process.env.PRISMA_TOOLS_ROOT
  ? path.resolve(process.env.PRISMA_TOOLS_ROOT)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SQLITE_SCHEMA = path.join(root, 'prisma', 'schema.prisma');
export const POSTGRES_SCHEMA = path.join(root, 'prisma', 'postgresql', 'schema.prisma');

const HEADER = [
  '// GENERATED FILE, DO NOT EDIT.',
  '// Derived from prisma/schema.prisma by scripts/prisma-generate.mjs (provider and client output',
  '// swapped for PostgreSQL). Edit prisma/schema.prisma, then run `npm run db:generate`.',
  '',
  '',
].join('\n');

/** The PostgreSQL copy of the SQLite schema text. Throws if the expected lines are missing. */
export function derivePostgresSchema(sqliteSchema) {
  let providers = 0;
  let outputs = 0;
  const body = sqliteSchema
    .replace(/^(\s*provider\s*=\s*)"sqlite"/m, (_, lead) => {
      providers++;
      return `${lead}"postgresql"`;
    })
    .replace(/^(\s*output\s*=\s*)"\.\.\/src\/db\/generated\/sqlite"/m, (_, lead) => {
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

/** Writes the derived schema if it changed; returns true when it was written. */
export async function writeDerivedSchema() {
  const wanted = derivePostgresSchema(await readFile(SQLITE_SCHEMA, 'utf8'));
  const current = existsSync(POSTGRES_SCHEMA) ? await readFile(POSTGRES_SCHEMA, 'utf8') : null;
  if (current === wanted) return false;
  await mkdir(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  await writeFile(POSTGRES_SCHEMA, wanted);
  return true;
}

/** An executable that exists on this machine; Prisma only checks it is there and never runs it for generate. */
function harmlessExecutable() {
  return existsSync('/bin/true') ? '/bin/true' : process.execPath;
}

export function prismaGenerate(schemaPath) {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'generate', '--schema', schemaPath], {
      cwd: root,
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
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`prisma generate --schema ${path.relative(root, schemaPath)} failed (exit ${code}):\n${output}`));
    });
  });
}

/** Derives the Postgres schema, then generates both clients in parallel. */
export async function generateAll({ quiet = false } = {}) {
  const started = Date.now();
  if ((await writeDerivedSchema()) && !quiet) console.log('Updated prisma/postgresql/schema.prisma');
  await Promise.all([prismaGenerate(SQLITE_SCHEMA), prismaGenerate(POSTGRES_SCHEMA)]);
  if (!quiet) {
    console.log(
      `Generated Prisma clients in src/db/generated/sqlite and src/db/generated/postgresql (${Date.now() - started} ms)`,
    );
  }
}

async function main(args) {
  if (args.includes('--check')) {
    const wanted = derivePostgresSchema(await readFile(SQLITE_SCHEMA, 'utf8'));
    const current = existsSync(POSTGRES_SCHEMA) ? await readFile(POSTGRES_SCHEMA, 'utf8') : null;
    if (current !== wanted) {
      console.error(
        'prisma/postgresql/schema.prisma is out of date with prisma/schema.prisma. ' +
          'Run `npm run db:generate` and commit the result.',
      );
      return 1;
    }
    console.log('prisma/postgresql/schema.prisma is up to date.');
    return 0;
  }
  await generateAll();
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
