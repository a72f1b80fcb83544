/**
 * The three personal tabs as the Teams app declares them and the bot serves them: one list, so the
 * manifest names only pages the server has, and one spelling of the API's resource, so the audience
 * the server accepts is the one Teams asks a token for.
 */
export const TAB_PAGES = [
  { entityId: 'progress', name: 'My progress', page: 'progress.html' },
  { entityId: 'team', name: 'My team', page: 'team.html' },
  { entityId: 'organisation', name: 'Organisation', page: 'organisation.html' },
] as const;

/** webApplicationInfo.resource: api://<host of BOT_PUBLIC_URL>/<MicrosoftAppId>. */
export function tabResource(appId: string, publicUrl: string): string {
  return `api://${new URL(publicUrl).host}/${appId}`;
}
