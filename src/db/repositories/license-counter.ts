/**
 * Subscription.licensesAssigned, the licenses a subscription has assigned now, is kept by
 * database triggers on LicenseAssignment (migration 20261202040352_licenses_assigned_counter).
 * A bulk load that goes around them (a copy between databases, a restore with triggers off)
 * counts once afterwards with this statement, the same the migration ran.
 */
import type { DatabaseProvider } from '../migrate.js';

export const RECOUNT_LICENSES_ASSIGNED: Record<DatabaseProvider, string> = {
  sqlite: `UPDATE "Subscription" SET "licensesAssigned" = (
    SELECT count(*) FROM "LicenseAssignment" a WHERE a."subscriptionId" = "Subscription"."id" AND a."removedAt" IS NULL)`,
  postgresql: `UPDATE "Subscription" s SET "licensesAssigned" = coalesce(c."n", 0)
    FROM "Subscription" t LEFT JOIN (
      SELECT "subscriptionId", count(*) AS "n" FROM "LicenseAssignment" WHERE "removedAt" IS NULL GROUP BY "subscriptionId"
    ) c ON c."subscriptionId" = t."id"
    WHERE t."id" = s."id" AND s."licensesAssigned" IS DISTINCT FROM coalesce(c."n", 0)`,
};
