import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SLASH_COMMANDS } from '../../src/slack/commands.js';

const root = new URL('../../', import.meta.url);
// Slack's app-manifest schema for format version 1 (slackapi/manifest-schema, MIT), validated offline.
const schema = JSON.parse(readFileSync(new URL('test/fixtures/slack-manifest-schema/manifest.schema.1.0.0.json', root), 'utf8')) as Record<string, unknown>;

function validator() {
  // strictTypes off: Slack's schema leaves `type` implicit in places (it warns, nothing more).
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  // The schema states some string patterns with a non-standard `regex` keyword; honour them.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  ajv.addKeyword('_note'); // a comment in the schema, no rule
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(schema);
}

function readable(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

interface Manifest {
  features?: { slash_commands?: Array<{ command: string }> };
}

const manifest = parse(readFileSync(new URL('manifest.yml', root), 'utf8')) as Manifest;

describe('the Slack app manifest', () => {
  it("is valid against Slack's manifest schema", () => {
    const validate = validator();
    validate(manifest);
    expect(readable(validate.errors)).toEqual([]);
  });

  it('declares exactly the slash commands the app registers', () => {
    const declared = (manifest.features?.slash_commands ?? []).map((c) => c.command).sort();
    expect(declared).toEqual([...SLASH_COMMANDS].sort());
  });

  it('would report a broken manifest readably', () => {
    const validate = validator();
    validate({ display_information: { name: '' }, features: { slash_commands: [{ command: 'purchases' }] } });
    expect(readable(validate.errors)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/display_information\/name must NOT have fewer than 1 characters/),
        expect.stringMatching(/^\/features\/slash_commands\/0 must have required property 'description'/),
        expect.stringMatching(/^\/features\/slash_commands\/0\/command must match pattern/),
      ]),
    );
  });
});
