-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "searchName" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "Person_searchName_idx" ON "Person"("searchName");

-- Person.searchName: lower(name) as this database computes it, filled here and kept by the
-- trigger below, whoever writes a person. Queries compare it with lower() of the text typed, so
-- both sides fold case the same way. Prisma does not know triggers: a later migration that
-- re-creates Person must create it again (test/db/counters.test.ts fails otherwise).
UPDATE "Person" SET "searchName" = lower("name");

CREATE FUNCTION "Person_searchName"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchName" := lower(NEW."name");
  RETURN NEW;
END
$$;

CREATE TRIGGER "Person_searchName" BEFORE INSERT OR UPDATE ON "Person"
FOR EACH ROW EXECUTE FUNCTION "Person_searchName"();
