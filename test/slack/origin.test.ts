import { describe, expect, it } from 'vitest';
import { foreignOrigin } from '../../src/slack/origin.js';

const expected = { teamId: 'T0HOME', appId: 'A0OURS' };

describe('where a request comes from', () => {
  it('accepts a command, an interaction and an event from the configured workspace and app', () => {
    expect(foreignOrigin({ team_id: 'T0HOME', api_app_id: 'A0OURS', command: '/purchases' }, expected)).toBeUndefined();
    expect(foreignOrigin({ type: 'block_actions', team: { id: 'T0HOME' }, api_app_id: 'A0OURS' }, expected)).toBeUndefined();
    expect(foreignOrigin({ type: 'event_callback', team_id: 'T0HOME', api_app_id: 'A0OURS' }, expected)).toBeUndefined();
  });

  it('names the workspace or app that is not the configured one', () => {
    expect(foreignOrigin({ team_id: 'T0OTHER', api_app_id: 'A0OURS' }, expected)).toBe('request for workspace T0OTHER, not SLACK_TEAM_ID T0HOME');
    expect(foreignOrigin({ team: { id: 'T0HOME' }, api_app_id: 'A0THEIRS' }, expected)).toBe('request for app A0THEIRS, not SLACK_APP_ID A0OURS');
    expect(foreignOrigin({ api_app_id: 'A0OURS' }, expected)).toBe('request for workspace (none), not SLACK_TEAM_ID T0HOME');
  });

  it('checks nothing when neither is configured', () => {
    expect(foreignOrigin({ team_id: 'T0ANY' }, {})).toBeUndefined();
  });
});
