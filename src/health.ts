/**
 * The bot's health check, for a load balancer or an orchestrator: `GET /healthz` (and `/health`)
 * answers 200 with a small JSON report when the database answers, 503 otherwise. In HTTP mode
 * the Slack receiver serves it on PORT; HEALTH_PORT serves it on a port of its own (Socket Mode
 * has no HTTP server of its own). With TENANT=microsoft the report also says when the last
 * sync from Microsoft 365 ran, how long ago, and whether it worked: a sync that failed does not
 * make the bot unhealthy (restarting it would not help), it is there to alert on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export const HEALTH_PATHS: readonly string[] = ['/healthz', '/health'];

export interface LastSyncReport {
  at: string;
  ageSeconds: number;
  ok: boolean;
  /** Why it failed, as the admins were told. */
  error?: string;
}

export interface HealthReport {
  ok: boolean;
  /** What is wrong, in sentences that name no path (the check is public); empty when ok. */
  problems: string[];
  /** TENANT=microsoft: the last sync, or null before the first one. */
  lastSync?: LastSyncReport | null;
}

/** Whether a request asks for the health check. */
export function isHealthRequest(req: IncomingMessage, pathname: string): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && HEALTH_PATHS.includes(pathname);
}

/** Answers a health request: 200 when healthy, 503 otherwise; never cached. */
export async function answerHealth(res: ServerResponse, health: () => Promise<HealthReport>): Promise<void> {
  let report: HealthReport;
  try {
    report = await health();
  } catch {
    report = { ok: false, problems: ['The health check failed.'] };
  }
  res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(report));
}

/** A server that answers only the health check (HEALTH_PORT); 0 picks a free port. */
export function startHealthServer(port: number, health: () => Promise<HealthReport>, onError: (error: unknown) => void): Promise<Server> {
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (!isHealthRequest(req, pathname)) {
      res.writeHead(404).end();
      return;
    }
    answerHealth(res, health).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Stops a health server: refuses new connections, closes the open ones. */
export function stopHealthServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
