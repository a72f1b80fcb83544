import assert from 'node:assert/strict';
import { person, personalMessage, channelMessage } from '../support/activities.js';
import { testBot } from '../support/conversation.js';

const coder = person('coder1');

async function ask(text: string) {
  const bot = await testBot();
  const { replies } = await bot.send(personalMessage(coder, text));
  assert.equal(replies.length, 1, `one reply to "${text}"`);
  return replies[0]!;
}

describe('questions in a coder’s own words', () => {
  const cases: { q: string; expect: RegExp[]; source: RegExp }[] = [
    {
      q: 'what does CC2 cover?',
      expect: [/CC2 Technical Skills/, /CC2 d\. Statistics/],
      source: /Competency Framework/,
    },
    { q: 'how long is the apprenticeship?', expect: [/18 months/], source: /ST0535/ },
    { q: 'how much funding is there for the level 3 apprenticeship', expect: [/£5000/], source: /ST0535/ },
    {
      q: 'what is the end point assessment for the apprenticeship',
      expect: [/Multiple-Choice Test|multiple-choice/, /Professional Discussion/i],
      source: /ST0535/,
    },
    {
      q: 'what if I have no level 2 english and maths',
      expect: [/prior to completing the end-point assessment/],
      source: /Occupational profile/,
    },
    {
      q: 'can I apply for CCAP after two years as an ACC?',
      expect: [/over three years/, /two years or more/, /History/],
      source: /2012\/13/,
    },
    { q: 'what is SPC', expect: [/Statistical Process Control/], source: /Competency Framework/ },
    {
      q: 'what do I need to know about SNOMED CT',
      expect: [/SNOMED CT/, /Trainee and approved auditors|SNOMED CT Awareness|\nT A\n/],
      source: /Competency Framework|Glossary/,
    },
    {
      q: 'HRGs',
      expect: [/Healthcare Resource Groups/, /Approved auditors only/],
      source: /Competency Framework/,
    },
    { q: 'information governance', expect: [/Information Governance/], source: /Competency Framework/ },
    {
      q: 'Caldicott',
      expect: [/Adheres to Caldicott Principles as applicable/, /Trainee and approved auditors/],
      source: /Competency Framework/,
    },
    {
      q: 'what should I know about NHS finance',
      expect: [/financial terms|funding is allocated|Tariff/],
      source: /Competency Framework/,
    },
    { q: 'digital literacy', expect: [/Digital Literacy/], source: /Competency Framework/ },
    {
      q: 'how do I become an approved auditor',
      expect: [/CCAP assessment day/],
      source: /Competency Framework/,
    },
    {
      q: 'how do I keep my approved status',
      expect: [/eAssessment/, /Auditor Forums/],
      source: /Competency Framework/,
    },
    { q: 'mean median and mode', expect: [/mean, median and mode/], source: /Competency Framework/ },
    {
      q: 'what can my manager do to help with my communication skills',
      expect: [/communication/i, /supports .*CC3/i],
      source: /Competency Framework/,
    },
    {
      q: 'what must I have before training as an auditor',
      expect: [/report writing course/, /Code of Practice/],
      source: /auditors toolbox/,
    },
  ];
  for (const c of cases) {
    it(`answers "${c.q}" with the right passage and its source`, async () => {
      const r = await ask(c.q);
      for (const e of c.expect) assert.match(r.text, e);
      assert.match(r.text, c.source);
    });
  }

  for (const q of ['what is the weather in Leeds', 'how do I bake sourdough bread', 'qwertyuiop asdfgh']) {
    it(`says it has no good answer to "${q}" rather than guessing`, async () => {
      const r = await ask(q);
      assert.match(r.text, /couldn't find a good answer/);
      assert.ok(r.buttons.some((b) => b.title === 'Help'));
    });
  }

  it('gives every answer card a plain-text summary for notifications and screen readers', async () => {
    const r = await ask('what is SPC');
    assert.ok(r.summary && r.summary.length > 10);
    assert.equal(r.card?.fallbackText, r.summary);
  });
});

describe('commands', () => {
  it('/help lists the commands with buttons', async () => {
    const r = await ask('/help');
    assert.match(r.text, /\/competency CC2d/);
    assert.match(r.text, /\/assess/);
    assert.ok(r.buttons.length >= 2);
  });

  it('an unknown command gets the help card naming it', async () => {
    const r = await ask('/frobnicate now');
    assert.match(r.text, /I don't know "\/frobnicate now"/);
    // The help card lists the everyday commands; the rest are one button away.
    assert.match(r.text, /\/ask/);
  });

  it('/areas lists the five areas with their statement counts', async () => {
    const r = await ask('/areas');
    for (const a of [
      'CC1 Audit',
      'CC2 Technical Skills',
      'CC3 Interpersonal Skills',
      'CC4 Knowledge',
      'CC5 Digital Literacy',
    ]) {
      assert.match(r.text, new RegExp(a));
    }
    assert.match(r.text, /CC2 Technical Skills\*\*: 7 sub-areas, 31 statements \(11 for trainees\)/);
  });

  it('/competency CC2d shows the sub-area with each statement’s levels', async () => {
    const r = await ask('/competency cc2 d');
    assert.match(r.text, /CC2 d\. Statistics/);
    assert.match(r.text, /Understand standard deviation and standard error\nA\n/);
    assert.match(r.text, /Understand percentages and rates and when to use them\nT A/);
    assert.doesNotMatch(r.text, /CC2 e\./);
  });

  it('/competency with words searches', async () => {
    const r = await ask('/competency pivot tables');
    assert.match(r.text, /Create pivot tables/);
  });

  it('/competency CC9 says there is no such area', async () => {
    const r = await ask('/competency statistics CC9');
    assert.ok(r.text.length > 0);
  });

  it('/activities CC3 trainee lists only trainee activities that support CC3', async () => {
    const r = await ask('/activities CC3 trainee');
    assert.match(r.text, /Line-manager activities for CC3 Interpersonal Skills/);
    const metas = r.lines.filter((l) => /supports/.test(l));
    assert.ok(metas.length > 0);
    for (const m of metas) {
      assert.match(m, /CC3/);
      assert.match(m, /Trainee/);
    }
  });

  for (const q of ['activities for CC2 statistics', 'what can my manager do for CC3']) {
    it(`"${q}": the line-manager activities for the area named, not the area's statements`, async () => {
      const r = await ask(q);
      const area = /CC[1-5]/.exec(q)![0];
      assert.match(r.text, new RegExp(`Line-manager activities for ${area}`));
      const metas = r.lines.filter((l) => /supports/.test(l));
      assert.ok(metas.length > 0);
      for (const m of metas) assert.match(m, new RegExp(area));
    });
  }

  it('"manager activities to help with CC1 audit reports" is a question, not /manager; "manager Sam Patel" is the command', async () => {
    const question = await ask('manager activities to help with CC1 audit reports');
    assert.match(question.text, /line-manager activit/i);
    assert.match(question.text, /supports .*CC1/i);
    const command = await ask('manager Sam Patel');
    assert.match(command.text, /Who is your line manager\?/);
  });

  it('keeps the argument’s case and ignores extra spaces', async () => {
    const r = await ask('  /ASK   What does SNOMED CT mean  ');
    assert.match(r.text, /SNOMED CT/);
  });
});

describe('channels', () => {
  it('answers an @mention in a channel with the mention stripped', async () => {
    const bot = await testBot();
    const { replies } = await bot.send(channelMessage(coder, '/competency CC2'));
    assert.equal(replies.length, 1);
    assert.match(replies[0]!.text, /CC2 Technical Skills/);
  });

  it('does not start anything personal in a channel', async () => {
    const bot = await testBot();
    const { replies } = await bot.send(channelMessage(coder, '/assess'));
    assert.equal(replies.length, 1);
    assert.match(replies[0]!.text, /private/);
    assert.doesNotMatch(replies[0]!.text, /Not yet|Developing/);
  });
});
