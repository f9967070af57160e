/**
 * The layers of src/ and what each may import (README, "Development"). `npm run lint` checks src/;
 * test/architecture/layers.test.ts also checks a fixture tree that breaks each rule once, so a rule
 * that stops matching fails a test. Paths are relative to the folder the cruise starts in.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain (rules, money, dates, wording helpers) depends on nothing else of ours, so any layer can use it.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'no-slack-below-slack',
      comment: 'Services, jobs, the outbox, the tenant and the database know nothing of Slack: they talk to it through ports the Slack layer implements.',
      severity: 'error',
      from: { path: '^src/(services|jobs|outbox|tenant|db)/' },
      to: { path: '^src/slack/' },
    },
    {
      name: 'slack-not-jobs',
      comment: 'Slack listeners and blocks reach background work only through what bot.ts and wiring.ts hand them.',
      severity: 'error',
      from: { path: '^src/slack/' },
      to: { path: '^src/jobs/' },
    },
    {
      name: 'slack-not-repositories',
      comment: 'The Slack layer asks services, not the database: repositories are for services, jobs and the outbox.',
      severity: 'error',
      from: { path: '^src/slack/' },
      to: { path: '^src/db/repositories/' },
    },
    {
      name: 'generated-only-in-db',
      comment: 'Only src/db imports the generated Prisma client; everyone else uses the types db/client.ts exports.',
      severity: 'error',
      from: { pathNot: '^src/db/' },
      to: { path: '^src/db/generated/' },
    },
    {
      name: 'devkit-only-in-sandbox',
      comment: 'The Slack emulator and the Microsoft fake are for the sandbox and the tests, never for the running bot.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(devkit|sandbox)/' },
      to: { path: '^src/devkit/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: neither can be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Type-only imports count: a service that imports a Slack type depends on Slack all the same.
    tsPreCompilationDeps: true,
    // Generated Prisma code is reached (so the rule above sees who imports it) but not read: its own cycles are Prisma's.
    doNotFollow: { path: ['node_modules', '^src/db/generated/'] },
    exclude: { path: '(^|/)node_modules/' },
    // Imports are written with .js extensions and resolved to the .ts files, as TypeScript does.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
