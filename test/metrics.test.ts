import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeOf } from '../src/metrics.ts';
import { TestApp } from './helpers/app.ts';

describe('/metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t?.close());

  const graphql = (token: string | null) =>
    t.app.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });

  it('counts requests by route and status, times them, and reports SQL statements and memory', async () => {
    // given
    await graphql(t.merchant.ownerToken);
    await graphql(t.merchant.ownerToken);
    await graphql('fgw_not-a-real-token-at-all-000');
    await t.app.fetch('http://gateway.test/healthz');
    await t.app.fetch('http://gateway.test/webhooks/eccang/secret-hook-token-1234');

    // when
    const response = await t.app.fetch('http://gateway.test/metrics');
    const text = await response.text();

    // then
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('http_requests_total{method="POST",route="/graphql",status="200"} 2');
    expect(text).toContain('http_requests_total{method="POST",route="/graphql",status="401"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(text).toContain('http_request_duration_seconds_count{route="/graphql"} 3');
    expect(text).toContain('http_request_duration_seconds_bucket{route="/graphql",le="+Inf"} 3');
    expect(text).toMatch(new RegExp(`db_statements_total\\{database="${t.db.kind}"\\} [1-9]\\d*`));
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text).not.toContain('secret-hook-token');
    expect(text).not.toContain(t.merchant.ownerToken);
  });
});

it.each([
  ['/graphql', '/graphql'],
  ['/graphiql/graphiql.min.js', '/graphiql/*'],
  ['/webhooks/jd', '/webhooks/jd'],
  ['/webhooks/eccang/9f8e7d', '/webhooks/eccang'],
  ['/anything/else/123', 'other'],
])('labels %s as %s', (path, route) => {
  expect(routeOf(path)).toBe(route);
});
