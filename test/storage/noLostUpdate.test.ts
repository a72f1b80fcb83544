import assert from 'node:assert/strict';
import { AssessmentDocSchema, type AssessmentDoc } from '../../bot/core/assessment/assessment.js';
import { DocumentStore } from '../../bot/storage/documentStore.js';
import { assessmentKey } from '../../bot/storage/assessmentRepo.js';
import { invoke, person, personalMessage, type Person } from '../support/activities.js';
import { post } from '../support/botServer.js';
import { button, invokeCard, ratingsFor, type ReadCard } from '../support/http.js';
import { blobBackend, lowdbBackend, type Backend, type StoreUnderTest } from './backends.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { startBotOn, type BotInstance } from './botOnStorage.js';

const STALE = /out of date|not saved/i;

function submit(bot: BotInstance, who: Person, card: ReadCard, ratings: Record<string, string>) {
  const next = button(card, 'Next');
  return post(bot.messagesUrl, invoke(who, next.verb!, { ...next.data, ...ratings }));
}

async function startAssessment(bot: BotInstance, who: Person): Promise<ReadCard> {
  return invokeCard(await post(bot.messagesUrl, invoke(who, 'assess.start', { level: 'trainee' })));
}

/** Each stored rating, without the "rating:" prefix the card inputs carry. */
function expectRatings(doc: AssessmentDoc | undefined, acknowledged: Record<string, string>[]): void {
  const want: Record<string, string> = {};
  for (const r of acknowledged) for (const [k, v] of Object.entries(r)) want[k.slice('rating:'.length)] = v;
  assert.deepEqual(doc?.current?.ratings, want);
  assert.equal(doc.current.revision, acknowledged.length, 'one revision per acknowledged answer');
}

function noLostAnswers(backend: Backend): void {
  describe(`no lost answers over HTTP: ${backend.name}`, function () {
    this.timeout(60_000);
    let store: StoreUnderTest;
    let a: BotInstance;
    let b: BotInstance;
    let docs: DocumentStore;
    let connector: ConnectorStandIn;

    before(async function () {
      this.timeout(60_000);
      connector = await new ConnectorStandIn().start();
      await backend.start();
    });
    after(async () => {
      await connector.stop();
      await backend.stop();
    });
    beforeEach(async () => {
      store = await backend.fresh();
      // Two bot instances, each with its own storage client on the same store.
      a = await startBotOn(store.storage);
      b = await startBotOn(await store.another());
      docs = new DocumentStore(await store.another());
    });
    afterEach(async () => {
      await Promise.allSettled([a.stop(), b.stop()]);
      await store.cleanup();
    });

    const stored = (who: Person) => docs.get(assessmentKey(who.aadObjectId), AssessmentDocSchema);

    it('a double click (the same card sent twice at once to one instance) keeps the acknowledged answer', async () => {
      const who = person('dbl1');
      const card = await startAssessment(a, who);
      const answers = [ratingsFor(card, 0), ratingsFor(card, 1)];
      const replies = (await Promise.all(answers.map((r) => submit(a, who, card, r)))).map(invokeCard);
      const acked = replies.map((c, i) => (STALE.test(c.text) ? undefined : answers[i]!)).filter(Boolean);
      assert.equal(acked.length, 1, 'one click is acknowledged, the other told its card was out of date');
      expectRatings(await stored(who), acked as Record<string, string>[]);
    });

    it('the same card sent at once to two instances, card after card: exactly one answer per card is acknowledged and every one is stored', async () => {
      const who = person('two1');
      let card = await startAssessment(a, who);
      const acknowledged: Record<string, string>[] = [];
      for (let step = 0; step < 6; step++) {
        const answers = [ratingsFor(card, step), ratingsFor(card, step + 2)];
        const replies = (
          await Promise.all([submit(a, who, card, answers[0]!), submit(b, who, card, answers[1]!)])
        ).map(invokeCard);
        const ok = replies.map((c) => !STALE.test(c.text));
        assert.equal(
          ok.filter(Boolean).length,
          1,
          `step ${step + 1}: ${replies.map((c) => c.text).join(',')}`,
        );
        const winner = ok.indexOf(true);
        acknowledged.push(answers[winner]!);
        card = replies[winner]!;
        assert.match(card.text, new RegExp(`Card ${step + 2} of 32`));
      }
      expectRatings(await stored(who), acknowledged);
    });

    it('ten people answering as fast as they can, switching devices (instances) every card, lose nothing', async () => {
      const people = Array.from({ length: 10 }, (_, i) => person(`fast${i}`));
      const acknowledged = new Map<string, Record<string, string>[]>();
      await Promise.all(
        people.map(async (who, p) => {
          let card = await startAssessment(p % 2 ? a : b, who);
          const mine: Record<string, string>[] = [];
          for (let step = 0; step < 5; step++) {
            const answer = ratingsFor(card, p + step);
            const reply = invokeCard(await submit(step % 2 ? a : b, who, card, answer));
            assert.doesNotMatch(reply.text, STALE);
            mine.push(answer);
            card = reply;
          }
          acknowledged.set(who.aadObjectId, mine);
        }),
      );
      for (const who of people) expectRatings(await stored(who), acknowledged.get(who.aadObjectId)!);
    });

    it('Start pressed on two devices at once (two instances): both cards are for the one assessment stored', async () => {
      for (let i = 0; i < 5; i++) {
        const who = person(`start${i}`);
        const cards = (
          await Promise.all(
            [a, b].map((bot) => post(bot.messagesUrl, invoke(who, 'assess.start', { level: 'trainee' }))),
          )
        ).map(invokeCard);
        // Whoever came second sees the assessment in progress (Resume) or, mid-race, its first card.
        const ids = cards.map(
          (c) => c.buttons.find((x) => /^(Next|Resume)$/.test(x.title))?.data.assessmentId,
        );
        const doc = await stored(who);
        assert.deepEqual(ids, [doc?.current?.id, doc?.current?.id], `round ${i}`);
      }
    });

    it('first contact from two devices at once (a message on one instance, a card on the other) stores both documents', async () => {
      const who = person('first1');
      const [msg, card] = await Promise.all([
        post(a.messagesUrl, personalMessage(who, '/help', connector.url)),
        post(b.messagesUrl, invoke(who, 'assess.start', { level: 'trainee' }, connector.url)),
      ]);
      assert.equal(msg.status, 200);
      invokeCard(card);
      assert.ok((await stored(who))?.current, 'the assessment started on one device is stored');
      const refs = await a.app.refs.forUser(who.aadObjectId);
      assert.ok(refs?.personal, 'the personal conversation reference is stored');
    });
  });
}

noLostAnswers(lowdbBackend());
noLostAnswers(blobBackend());
