import { z } from 'zod';

const str = z.string().nullish();
const account = z.looseObject({ id: str, name: str, aadObjectId: str });
const entity = z
  .looseObject({ type: z.string(), mentioned: account.optional() })
  .refine((e) => e.type.toLowerCase() !== 'mention' || e.mentioned !== undefined, {
    error: 'a mention names who is mentioned',
    path: ['mentioned'],
  });

/**
 * The activity fields that the Bot Framework SDK and the glue read as structure, checked at the door.
 * With a wrong type in one of these (a numeric serviceUrl, an entity without a type, a `from` that is
 * a string) the SDK failed either before the turn started, where the turn error handler cannot catch
 * it and the CloudAdapter answers 500, or inside the turn with an apology for a request that was never
 * valid; now it is a 400. Teams never sends such a body. Fields other than type and serviceUrl may be
 * missing, content is not judged here (the features validate what they use), and unknown fields pass.
 */
const EnvelopeSchema = z
  .looseObject({
    type: z.string().min(1).max(100),
    id: str,
    name: str,
    serviceUrl: z
      .string()
      .max(2048)
      // Every Bot Framework activity names the connector to answer; without one the SDK falls back
      // to a default host and retries for seconds.
      .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL'),
    channelId: str,
    text: str,
    textFormat: str,
    locale: str,
    deliveryMode: str,
    replyToId: str,
    from: account.optional(),
    recipient: account.optional(),
    conversation: z
      .looseObject({ id: str, conversationType: str, tenantId: str, isGroup: z.boolean().nullish() })
      .optional(),
    entities: z.array(entity).optional(),
    attachments: z.array(z.looseObject({ contentType: str })).optional(),
    membersAdded: z.array(account).optional(),
    membersRemoved: z.array(account).optional(),
    channelData: z.record(z.string(), z.unknown()).optional(),
  })
  .refine(
    // The Teams handler reads channelData.eventType of these unguarded.
    (a) =>
      !(a.channelId === 'msteams' && /^message(Update|Delete)$/.test(a.type)) || a.channelData !== undefined,
    { error: 'Teams message updates and deletions carry channelData', path: ['channelData'] },
  );

/**
 * Checks an incoming activity body; top-level nulls are dropped first (in the Bot Framework's JSON a
 * null is an absent field, and the SDK treats only `undefined` as absent). Returns the problem, for
 * a 400, or undefined when the body can go to the adapter.
 */
export function envelopeProblem(body: object): string | undefined {
  // Removed in place: the adapter reads this same body afterwards.
  for (const [k, v] of Object.entries(body)) if (v === null) Reflect.deleteProperty(body, k);
  const r = EnvelopeSchema.safeParse(body);
  if (r.success) return undefined;
  const first = r.error.issues[0];
  return `${first?.path.join('.') || 'activity'}: ${first?.message ?? 'not valid'}`;
}
