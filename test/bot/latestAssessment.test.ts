import assert from 'node:assert/strict';
import { assessmentKey } from '../../bot/storage/assessmentRepo.js';
import { AssessmentDocSchema } from '../../bot/core/assessment/assessment.js';
import { requestLink, respondToLink } from '../../bot/core/managers/consent.js';
import { person, personalMessage, type Person } from '../support/activities.js';
import { finishAssessment, testBot } from '../support/conversation.js';

describe('the latest completed assessment', () => {
  it('is the same one in /results, /gaps, /mydata, the digest, /team and /export when an earlier assessment was re-opened and finished last', async () => {
    let now = new Date('2026-11-10T10:00:00Z');
    const bot = await testBot({ now: () => now });
    const coder = person('reopened');
    const manager = person('reopenmgr');

    // Assessed with no gaps on 10 November, then with gaps on 20 November.
    await finishAssessment(bot, coder, 'competent');
    now = new Date('2026-11-20T10:00:00Z');
    await finishAssessment(bot, coder, 'developing');
    // The first one was re-opened and finished again on 25 November: it stays first in the stored history,
    // but it is now the latest completed.
    await bot.app.store.update(assessmentKey(coder.aadObjectId), AssessmentDocSchema, (doc) => {
      const [first, second] = doc!.history;
      return { ...doc!, history: [{ ...first!, completedAt: '2026-11-25T10:00:00.000Z' }, second!] };
    });
    now = new Date('2026-11-30T09:00:00Z');

    await requestLink(bot.app.managers, {
      coderKey: coder.aadObjectId,
      coderName: coder.name,
      coderTeamsId: coder.id,
      managerTeamsId: manager.id,
      managerName: manager.name,
      status: 'pending',
      requestedAt: now.toISOString(),
      serviceUrl: 'http://127.0.0.1:1/',
    });
    await respondToLink(bot.app.managers, {
      coderKey: coder.aadObjectId,
      managerTeamsId: manager.id,
      accept: true,
      now,
    });

    const text = async (who: Person, command: string) =>
      (await bot.send(personalMessage(who, command))).replies.map((r) => r.text).join('\n');

    const results = await text(coder, '/results');
    assert.match(results, /Completed 25 November 2026/);
    assert.match(results, /0 gaps/);
    assert.match(results, /Since 20 November 2026/);

    assert.match(await text(coder, '/gaps'), /No gaps in your latest self-assessment/);
    assert.match(await text(coder, '/mydata'), /latest 25 November 2026/);

    const digest = await text(manager, '/digest');
    assert.match(digest, /self-assessment of 25 November 2026: 100% met, 0 gaps/);
    const team = await text(manager, '/team');
    assert.match(team, /self-assessment of 25 November 2026: 100% met, 0 gaps/);

    const rows = await bot.app.digests.exportFor((await bot.app.managers.manager(manager.id))!);
    assert.ok(rows.length > 0);
    assert.deepEqual([...new Set(rows.map((r) => r.assessmentDate))], ['2026-11-25']);
    assert.ok(rows.every((r) => r.gap === 'no'));
  });
});
