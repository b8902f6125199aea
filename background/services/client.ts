/**
 * The one way the worker calls a service. A {@link ServiceClient} for a service's base URL (its
 * origin) resolves paths on it and refuses any that leave it, sends a session's device key as
 * `X-DEVICE-KEY`, posts over the worker's {@link HttpClient} (which bounds time and size,
 * `http.ts`), and turns what went wrong into the errors a page or the popup sees: a service that
 * did not answer is {@link ServiceNotAnswering} (-32603, with the reason), a refusal 4100, any
 * other failure -32603 naming the service.
 * @module
 */
import { toBase64 } from '../../src/encoding/base64.js';
import { ErrorCode, ProviderRpcError, invalidParams, unauthorized } from '../../src/protocol/errors.js';
import { ServiceUnreachable, serviceMessage, type HttpAnswer, type HttpClient } from './http.js';

/** The header that carries a session's device key, the secret its service issued at login. */
export const DEVICE_KEY_HEADER = 'X-DEVICE-KEY';

/** The service could not be reached, took too long or answered too much: -32603 with `data.reason`. */
export class ServiceNotAnswering extends ProviderRpcError {
  constructor(
    baseUrl: string,
    readonly reason: ServiceUnreachable['reason'],
  ) {
    super(ErrorCode.Internal, `The service at ${baseUrl} did not answer (${reason}).`, { reason });
  }
}

/** The service answered, but not as it should: -32603 naming it and why. */
export const serviceFailed = (baseUrl: string, why: string): ProviderRpcError =>
  new ProviderRpcError(ErrorCode.Internal, `The service at ${baseUrl} failed: ${why}.`);

/**
 * The URL of `path` at the service whose origin is `baseUrl`.
 * @throws ProviderRpcError -32602 when `path` would leave that origin
 */
export function serviceUrl(baseUrl: string, path: string): string {
  const url = new URL(path, baseUrl);
  if (url.origin !== baseUrl) throw invalidParams("path must stay on the session's service.");
  return url.href;
}

/**
 * Demands a 2xx answer.
 * @param subject - what was refused, for the message ("the login"); none: "The service refused (…)"
 * @throws ProviderRpcError 4100 for a 4xx (the service refused), -32603 for anything else not 2xx
 */
export function requireSuccess(baseUrl: string, answer: HttpAnswer, subject?: string): HttpAnswer {
  if (answer.status >= 400 && answer.status < 500) {
    throw unauthorized(`The service refused${subject ? ` ${subject}` : ''} (${serviceMessage(answer)}).`);
  }
  if (answer.status < 200 || answer.status >= 300) throw serviceFailed(baseUrl, serviceMessage(answer));
  return answer;
}

/** One service, as the worker calls it. */
export class ServiceClient {
  /**
   * @param http - the worker's bounded transport (`deps.http`)
   * @param baseUrl - the service's origin, as the session records it
   */
  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
  ) {}

  /** The URL of `path` here. @throws ProviderRpcError -32602 when `path` leaves the service */
  url(path: string): string {
    return serviceUrl(this.baseUrl, path);
  }

  /**
   * Posts `json` to `path`; the answer, whatever its status, is the caller's to judge.
   * @param deviceKey - the session's device key, sent as `X-DEVICE-KEY`
   * @throws ServiceNotAnswering when no usable answer came; ProviderRpcError -32602 for a path
   *   off the service
   */
  async post(path: string, json: unknown, deviceKey?: Uint8Array): Promise<HttpAnswer> {
    const url = this.url(path);
    try {
      return await this.http.post(url, json, deviceKey ? { [DEVICE_KEY_HEADER]: toBase64(deviceKey) } : undefined);
    } catch (err) {
      if (err instanceof ServiceUnreachable) throw new ServiceNotAnswering(this.baseUrl, err.reason);
      throw err;
    }
  }

  /**
   * {@link post}, then {@link requireSuccess}.
   * @throws ServiceNotAnswering; ProviderRpcError 4100 when the service refuses, -32603 when it fails
   */
  async call(path: string, json: unknown, opts: { deviceKey?: Uint8Array; subject?: string } = {}): Promise<HttpAnswer> {
    return requireSuccess(this.baseUrl, await this.post(path, json, opts.deviceKey), opts.subject);
  }
}
