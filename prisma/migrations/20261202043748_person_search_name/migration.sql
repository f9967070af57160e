-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "searchName" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL,
    "slackUserId" TEXT,
    "graphId" TEXT,
    "accountEnabled" BOOLEAN NOT NULL DEFAULT true,
    "goneFromTenantAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Person" ("accountEnabled", "createdAt", "email", "goneFromTenantAt", "graphId", "id", "name", "slackUserId") SELECT "accountEnabled", "createdAt", "email", "goneFromTenantAt", "graphId", "id", "name", "slackUserId" FROM "Person";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
CREATE UNIQUE INDEX "Person_email_key" ON "Person"("email");
CREATE UNIQUE INDEX "Person_graphId_key" ON "Person"("graphId");
CREATE INDEX "Person_name_idx" ON "Person"("name");
CREATE INDEX "Person_searchName_idx" ON "Person"("searchName");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Person.searchName: lower(name) as this database computes it, filled here and kept by the
-- triggers below, whoever writes a person. Queries compare it with lower() of the text typed, so
-- both sides fold case the same way (SQLite's lower() folds ASCII letters only; a name that
-- differs otherwise is still found by the slower scan of purchasers). Prisma does not know
-- triggers: a later migration that rebuilds Person (RedefineTables) must create them again.
UPDATE "Person" SET "searchName" = lower("name");

CREATE TRIGGER "Person_searchName_insert" AFTER INSERT ON "Person"
BEGIN
  UPDATE "Person" SET "searchName" = lower(NEW."name") WHERE "id" = NEW."id";
END;

CREATE TRIGGER "Person_searchName_update" AFTER UPDATE OF "name", "searchName" ON "Person"
WHEN NEW."searchName" IS NOT lower(NEW."name")
BEGIN
  UPDATE "Person" SET "searchName" = lower(NEW."name") WHERE "id" = NEW."id";
END;
