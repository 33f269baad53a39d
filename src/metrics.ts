// Prometheus metrics in the text exposition format: HTTP traffic by route and status, request
// durations, SQL statements sent, process memory. Routes are normalised so that ids and tokens
// in paths never become label values.
import type { Database } from './db/database.ts';

const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const KNOWN_ROUTES = ['/graphql', '/healthz', '/readyz', '/metrics', '/oauth/jd/callback'];

export function routeOf(pathname: string): string {
  if (KNOWN_ROUTES.includes(pathname)) return pathname;
  if (pathname.startsWith('/graphiql/')) return '/graphiql/*';
  if (pathname.startsWith('/webhooks/')) return `/webhooks/${pathname.split('/')[2] ?? ''}`;
  return 'other';
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();

  observeRequest(method: string, pathname: string, status: number, seconds: number): void {
    const route = routeOf(pathname);
    const requestKey = `method="${method}",route="${route}",status="${status}"`;
    this.requests.set(requestKey, (this.requests.get(requestKey) ?? 0) + 1);
    const durationKey = `route="${route}"`;
    const histogram = this.durations.get(durationKey) ?? { buckets: DURATION_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
    DURATION_BUCKETS_SECONDS.forEach((bound, index) => {
      if (seconds <= bound) histogram.buckets[index]!++;
    });
    histogram.sum += seconds;
    histogram.count++;
    this.durations.set(durationKey, histogram);
  }

  /** `extra`: lines other parts contribute (provider calls). */
  render(db: Database, extra: string[] = []): string {
    const lines: string[] = [
      '# HELP http_requests_total HTTP requests answered, by method, route and status.',
      '# TYPE http_requests_total counter',
      ...[...this.requests].map(([labels, count]) => `http_requests_total{${labels}} ${count}`),
      '# HELP http_request_duration_seconds Time to answer HTTP requests, by route.',
      '# TYPE http_request_duration_seconds histogram',
    ];
    for (const [labels, histogram] of this.durations) {
      DURATION_BUCKETS_SECONDS.forEach((bound, index) => {
        lines.push(`http_request_duration_seconds_bucket{${labels},le="${bound}"} ${histogram.buckets[index]}`);
      });
      lines.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${histogram.count}`);
      lines.push(`http_request_duration_seconds_sum{${labels}} ${histogram.sum}`);
      lines.push(`http_request_duration_seconds_count{${labels}} ${histogram.count}`);
    }
    const memory = process.memoryUsage();
    lines.push(
      '# HELP db_statements_total SQL statements sent through Prisma.',
      '# TYPE db_statements_total counter',
      `db_statements_total{database="${db.kind}"} ${db.statements.count}`,
      '# HELP process_resident_memory_bytes Resident memory of this process.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${memory.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${memory.heapUsed}`,
      ...extra,
    );
    return `${lines.join('\n')}\n`;
  }
}
