// Import boundaries, checked in CI (`npm run lint:imports`). The layers, outermost first:
//   main.ts, cli/ → app.ts → http/ → pipeline/ → providers/ | search/ | state/ | metrics/ | wire/ → lib/
// config/ is read by app.ts and the CLI; errors.ts, task-types.ts and lib/ may be imported from anywhere.
// Inside the pipeline the stages run analyze → route → plan → prepare → execute, and the contract
// (ports.ts, types.ts, attempts.ts) depends on none of the stages that run.

const outer = ['^src/main\\.ts$', '^src/cli/', '^src/app\\.ts$']

/** A rule forbidding `from` (a path pattern) to import any of `to`. */
const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, pathNot: '\\.test\\.ts$' },
  to: { path: to },
})

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    forbid('lib-is-a-leaf', 'lib/ knows nothing of SmartSplit.', '^src/lib/', '^src/(?!lib/|errors\\.ts$)'),
    forbid(
      'shared-leaves',
      'errors.ts and task-types.ts import nothing of SmartSplit.',
      '^src/(errors|task-types)\\.ts$',
      '^src/',
    ),
    forbid(
      'wire-is-pure-translation',
      'wire/ holds each wire format once and imports no other layer.',
      '^src/wire/',
      '^src/(pipeline|http|state|providers|search|metrics|config|cli)/|^src/(app|main)\\.ts$',
    ),
    forbid(
      'adapters-report-facts',
      'providers/ and search/ call upstreams and report facts; policy lives above them.',
      '^src/(providers|search)/',
      '^src/(pipeline|http|state|cli)/|^src/(app|main)\\.ts$',
    ),
    forbid(
      'state-does-not-route',
      'state/ and metrics/ implement ports; they never reach into the pipeline or the HTTP layer.',
      '^src/(state|metrics)/',
      '^src/(pipeline|http|cli)/|^src/(app|main)\\.ts$',
    ),
    forbid(
      'pipeline-is-below-http',
      'The pipeline knows no HTTP.',
      '^src/pipeline/',
      '^src/(http|cli)/|^src/(app|main)\\.ts$',
    ),
    forbid(
      'http-is-below-app',
      'The HTTP layer is built by app.ts, never the other way.',
      '^src/http/',
      outer,
    ),
    forbid(
      'config-is-pure',
      'config/ resolves settings; it runs nothing.',
      '^src/config/',
      '^src/(pipeline|http|state|cli)/|^src/(app|main)\\.ts$',
    ),
    forbid(
      'contract-depends-on-no-stage',
      'ports.ts, types.ts and attempts.ts are the contract between the stages.',
      '^src/pipeline/(ports|types|attempts)\\.ts$',
      '^src/pipeline/(analyze|route|plan|prepare|execute|synthesize)/(?!types\\.ts$)',
    ),
    forbid(
      'analyze-runs-first',
      'The analyzer reads requests only.',
      '^src/pipeline/analyze/',
      '^src/pipeline/(route|plan|prepare|execute|synthesize)/',
    ),
    forbid(
      'route-ranks-only',
      'Ranking uses no later stage.',
      '^src/pipeline/route/',
      '^src/pipeline/(plan|prepare|execute|synthesize)/',
    ),
    forbid(
      'plan-calls-no-model',
      'Planning is pure: the planner calls models through the ModelCaller port.',
      '^src/pipeline/plan/',
      '^src/pipeline/(prepare|execute)/',
    ),
    forbid(
      'execute-runs-what-was-prepared',
      'Execution never goes back to planning.',
      '^src/pipeline/execute/',
      '^src/pipeline/(plan|prepare)/',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
}
