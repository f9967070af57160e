// Derives prisma/postgresql/schema.prisma from prisma/schema.prisma (the one schema people edit)
// and generates both Prisma clients (src/db/generated/sqlite and src/db/generated/postgresql).
//
// Runs as `postinstall`, so it works on a fresh clone with no network beyond the npm registry
// (docs/decisions/engine-free-prisma.md).
//
//   npm run db:generate                          derive the Postgres schema, then generate both clients
//   npm run db:generate -- --check               only check that the derived schema is up to date (exit 1 if not)
import { runCommand } from './lib/cli.js';
import { derivedSchemaState, generateAll } from './lib/schemas.js';

async function main(args: string[]): Promise<number> {
  if (args.includes('--check')) {
    if (!(await derivedSchemaState()).upToDate) {
      console.error('prisma/postgresql/schema.prisma is out of date with prisma/schema.prisma. ' + 'Run `npm run db:generate` and commit the result.');
      return 1;
    }
    console.log('prisma/postgresql/schema.prisma is up to date.');
    return 0;
  }
  await generateAll();
  return 0;
}

runCommand(main);
