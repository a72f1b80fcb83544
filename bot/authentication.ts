import { createRequire } from 'node:module';
import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type {
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  UserTokenClient,
} from 'botframework-connector';
import type { Dispatcher } from 'undici';
import { connectorDispatcher, withDirectSends } from './connectorSends.js';
import type { Logger } from './logger.js';

// The CloudAdapter answers 401 only for an AuthenticationError of the botframework-connector copy that
// botbuilder itself loads; resolving it from botbuilder's own location guarantees the same class.
const fromBotbuilder = createRequire(createRequire(import.meta.url).resolve('botbuilder'));
const { AuthenticationError, ConnectorFactory: ConnectorFactoryBase } = fromBotbuilder(
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
 * It also hands out connector and user-token clients that are reused across turns (see below).
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new ConnectorClientCache();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

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
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (e) {
      // Whatever botbuilder and the libraries under it threw: not always an Error.
      const thrown: { name?: unknown; message?: unknown } = typeof e === 'object' && e !== null ? e : {};
      const verifiable = e instanceof AuthenticationError && e.statusCode === 401;
      this.log.warn(
        {
          event: 'auth.refused',
          reason: thrown.name,
          detail: verifiable ? undefined : String(thrown.message ?? e).slice(0, 200),
          hasHeader: authHeader.trim() !== '',
        },
        verifiable ? 'request refused: not authenticated' : 'request refused: token could not be verified',
      );
      if (e instanceof AuthenticationError) throw new AuthenticationError(e.message, 401);
      throw new AuthenticationError('Unauthorized: the token could not be verified.', 401);
    }
    const factory = result.connectorFactory;
    return factory
      ? { ...result, connectorFactory: this.clients.factoryFor(result.claimsIdentity, factory) }
      : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.clients.factoryFor(claimsIdentity, super.createConnectorFactory(claimsIdentity));
  }

  /** Made for every turn by the CloudAdapter, used only by sign-in flows: one per app id is enough. */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = appIdOf(claimsIdentity);
    let client = this.tokenClients.get(appId);
    if (!client) {
      client = super.createUserTokenClient(claimsIdentity);
      client.catch(() => this.tokenClients.delete(appId));
      this.tokenClients.set(appId, client);
    }
    return client;
  }
}

/**
 * Connector clients kept for reuse, per bot app id, service URL and audience. The CloudAdapter builds a
 * new ConnectorClient (and its whole HTTP pipeline) for every turn, which is a fifth of the CPU of a
 * simple turn; botbuilder's older BotFrameworkAdapter cached them the same way. A client holds no state
 * of a turn: its credentials fetch and cache tokens themselves, so sharing one is safe. Each client
 * sends replies and messages directly (see connectorSends.ts), over one shared connection pool.
 */
class ConnectorClientCache {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  constructor(
    private readonly maxClients = 100,
    private readonly dispatcher: Dispatcher = connectorDispatcher(),
  ) {}

  factoryFor(claimsIdentity: ClaimsIdentity, inner: ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    return new ConnectorFactoryOf((serviceUrl: string, audience?: string) => {
      const key = JSON.stringify([appId, serviceUrl, audience ?? null]);
      let client = this.clients.get(key);
      if (client) {
        // Most recently used last, so the oldest entry is the one to drop.
        this.clients.delete(key);
        this.clients.set(key, client);
        return client;
      }
      client = inner
        .create(serviceUrl, audience)
        .then((c) => withDirectSends(c, serviceUrl, this.dispatcher));
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
      if (this.clients.size > this.maxClients) {
        const oldest = this.clients.keys().next();
        if (!oldest.done) this.clients.delete(oldest.value);
      }
      return client;
    });
  }
}

/** A ConnectorFactory (botbuilder's abstract class) whose clients come from the function given. */
class ConnectorFactoryOf extends ConnectorFactoryBase {
  constructor(private readonly make: (serviceUrl: string, audience?: string) => Promise<ConnectorClient>) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.make(serviceUrl, audience);
  }
}

/** The bot's app id a request was for, as botbuilder reads it: the audience claim, else appid. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
}
