import { readFileSync } from 'node:fs';
import type { Activity } from 'botbuilder';

const dir = new URL('../../../shared/teams-activities/', import.meta.url);

/** A real Teams payload from ../shared/teams-activities, pointed at our stand-in connector. */
export function teamsPayload(
  name: string,
  serviceUrl: string,
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  const a = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Record<string, unknown>;
  return { ...a, serviceUrl, ...patch };
}

let n = 0;
export interface Person {
  id: string;
  name: string;
  aadObjectId: string;
}

export const BOT = { id: '28:test-bot', name: 'Coding Auditor' };

export function person(label: string): Person {
  return {
    id: `29:${label}`,
    name: `Test ${label}`,
    aadObjectId: `00000000-0000-4000-8000-${label.padStart(12, '0').slice(-12)}`,
  };
}

export function personalMessage(
  who: Person,
  text: string,
  serviceUrl = 'http://127.0.0.1:1/',
): Partial<Activity> {
  n += 1;
  return {
    type: 'message',
    id: `m${n}`,
    channelId: 'msteams',
    serviceUrl,
    from: who,
    recipient: BOT,
    conversation: {
      id: `a:personal-${who.aadObjectId}`,
      conversationType: 'personal',
      tenantId: 'tenant-1',
    } as Activity['conversation'],
    text,
    textFormat: 'plain',
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

export function channelMessage(
  who: Person,
  text: string,
  serviceUrl = 'http://127.0.0.1:1/',
): Partial<Activity> {
  n += 1;
  return {
    type: 'message',
    id: `c${n}`,
    channelId: 'msteams',
    serviceUrl,
    from: who,
    recipient: BOT,
    conversation: {
      id: `19:channel-1@thread.tacv2;messageid=100${n}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: 'tenant-1',
    } as Activity['conversation'],
    text: `<at>${BOT.name}</at> ${text}`,
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
    channelData: {
      tenant: { id: 'tenant-1' },
      team: { id: '19:team-1@thread.tacv2' },
      channel: { id: '19:channel-1@thread.tacv2' },
    },
  };
}

export function invoke(
  who: Person,
  verb: string,
  data: Record<string, unknown>,
  serviceUrl = 'http://127.0.0.1:1/',
): Partial<Activity> {
  n += 1;
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `i${n}`,
    channelId: 'msteams',
    serviceUrl,
    from: who,
    recipient: BOT,
    conversation: {
      id: `a:personal-${who.aadObjectId}`,
      conversationType: 'personal',
      tenantId: 'tenant-1',
    } as Activity['conversation'],
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
