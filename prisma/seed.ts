/**
 * `npm run db:seed`: fills an empty database with the demo tenant (see
 * src/tenant/local/demo-tenant.ts). A database that already has products is left alone.
 */
import { createDatabase } from '../src/db/client.js';
import { seedDemoTenant } from '../src/tenant/local/demo-tenant.js';

const url = process.env.DATABASE_URL ?? 'file:./data/purchases.db';
const database = await createDatabase(url);
try {
  const { seeded, counts } = await seedDemoTenant(database.prisma, new Date());
  if (seeded) {
    console.log(
      `Seeded the demo tenant into ${database.provider}: ${counts.products} products and offer types, ` +
        `${counts.people} people, ${counts.subscriptions} subscriptions, ${counts.assignments} license assignments.`,
    );
  } else {
    console.log('The database already has products: nothing seeded.');
  }
} finally {
  await database.close();
}
