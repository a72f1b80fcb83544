import type { MyProgressView } from '../../core/tabs/tabViews.js';
import { getJson } from './api.js';
import { runTab } from './page.js';
import { progressView } from './progressView.js';

runTab({
  title: 'My progress',
  forbidden: 'This tab shows your own self-assessments. Start one with /assess in the chat with the bot.',
  render: async (session) => {
    const view = await getJson<MyProgressView>(session, '/api/tabs/me');
    return progressView(view, { level: 2, own: true });
  },
});
