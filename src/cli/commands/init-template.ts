/** The policy `eclusa init` writes: small, valid, and a tour of the common sections. */
export function initTemplate(project: string, owner: string): string {
  return `# eclusa release policy — see \`eclusa policy schema\` for every field.
# yaml-language-server: $schema=https://eclusa.dev/schema/eclusa.schema.json
version: 1

project:
  name: ${project}
  owners: [${owner}]

roles:
  release-owner:
    members: [${owner}]
  reviewer:
    members: [reviewer-1, reviewer-2]   # the people who review and approve production releases

components:
  app:
    kind: service
    artifact:
      image: registry.example.com/${project}
  db:
    kind: database
    engine: postgres
    connection: env:DATABASE_URL   # secrets are references, never values
    migrations:
      tool: sql
      dir: migrations

checks:
  build: { type: status }
  tests: { type: tests, maxFailures: 0 }
  coverage: { type: coverage, min: 80 }

checklists:
  pre-release:
    confirmedBy: release-owner
    items:
      - Changelog reviewed
      - Migrations reviewed

analyses:
  health:
    interval: 10s
    conditions:
      - metric: error_rate
        failWhen: "> 1%"
        for: 2m
      - metric: latency_p95
        failWhen: "> 2s"
        for: 2m

environments:
  - name: staging
    tier: staging
    gates:
      checks: [build, tests]
    pipeline:
      - kind: backup
        database: db
      - kind: migrate
        database: db
      - kind: deploy
        components: [app]
      - kind: verify
    verify:
      health:
        type: http
        url: http://staging.example.com/health
        expect: { status: 200 }

  - name: production
    tier: production
    promotion:
      minBake: 1h
    gates:
      checks: [build, tests, coverage]
      checklists: [pre-release]
      approvals:
        roles: [reviewer]
      rollbackPlan: true
    strategy:
      type: blue-green
      keepPrevious: 30m
    pipeline:
      - kind: backup
        database: db
      - kind: migrate
        database: db
      - kind: deploy
        components: [app]
      - kind: verify
        against: new
      - kind: rollout
      - kind: verify
      - kind: analysis
        analysis: health
        duration: 30m
    verify:
      health:
        type: http
        url: http://app.example.com/health
        expect: { status: 200 }
`;
}
