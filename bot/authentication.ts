import { createRequire } from 'node:module';
import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Logger } from './logger.js';

// The CloudAdapter answers 401 only for an AuthenticationError of the botframework-connector copy that
// botbuilder itself loads; resolving it from botbuilder's own location guarantees the same class.
const fromBotbuilder = createRequire(createRequire(import.meta.url).resolve('botbuilder'));
const { AuthenticationError } = fromBotbuilder(
  'botframework-connector',
) as typeof import('botframework-connector');

type AuthenticateRequestResult = Awaited<
  ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
>;

/**
 * The Bot Framework's own validation of the Authorization header (issuer, audience, signature against
 * the published OpenID keys, endorsements), with one change: a request that cannot be verified is
 * always refused as unauthorised. botbuilder lets some failures escape as plain errors (a bad
 * signature from jsonwebtoken, a network failure fetching the signing keys), which the CloudAdapter
 * turns into 500; the caller is no more authenticated in those cases, so they are 401 too.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly log: Logger,
  ) {
    super(options);
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (e) {
      const err = e as Error & { statusCode?: number };
      const verifiable = err instanceof AuthenticationError && err.statusCode === 401;
      this.log.warn(
        {
          event: 'auth.refused',
          reason: err?.name,
          detail: verifiable ? undefined : String(err?.message ?? err).slice(0, 200),
          hasHeader: authHeader.trim() !== '',
        },
        verifiable ? 'request refused: not authenticated' : 'request refused: token could not be verified',
      );
      if (err instanceof AuthenticationError) throw new AuthenticationError(err.message, 401);
      throw new AuthenticationError('Unauthorized: the token could not be verified.', 401);
    }
  }
}
