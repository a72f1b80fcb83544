import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
  type ResourceResponse,
} from 'botbuilder';

export interface TurnResult {
  replies: Partial<Activity>[];
  invokeResponse?: InvokeResponse;
}

/**
 * Runs turns in process through the real middleware and handler, capturing what the bot sends.
 * It backs the terminal chat and the conversation tests; Teams itself goes through the CloudAdapter.
 */
export class LocalAdapter extends BotAdapter {
  private sent: Partial<Activity>[] = [];

  async turn(
    activity: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<TurnResult> {
    const replies: Partial<Activity>[] = [];
    const previous = this.sent;
    this.sent = replies;
    try {
      const context = new TurnContext(this, activity);
      await this.runMiddleware(context, logic);
    } finally {
      this.sent = previous;
    }
    const invoke = replies.find((r) => r.type === 'invokeResponse');
    return {
      replies: replies.filter((r) => r.type !== 'invokeResponse'),
      invokeResponse: invoke?.value as InvokeResponse | undefined,
    };
  }

  sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const a of activities) {
      if (a.type === 'delay') continue;
      this.sent.push(a);
    }
    return Promise.resolve(activities.map((_, i) => ({ id: `local-${Date.now()}-${i}` })));
  }

  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continue' },
      reference,
      true,
    );
    await this.turn(activity, logic);
  }
}
