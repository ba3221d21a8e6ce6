// The layering of src/, enforced in CI (`npm run -s depcruise`). Data flows one way:
//   bot (transport) → app (pipeline) → handlers → services → kernel (db, entities, messages, outbox queue, config, clock, logger)
// and jobs, board, sandbox, commands and the composition root (runtime, main, cli) sit on top.
// Metrics are kernel too: the transport and the jobs count into them, they import nothing above.
// Type-only imports count too: a type drags its module's meaning along with it.
const TOP = '^src/(main|runtime|cli)\\.ts$|^src/(commands|sandbox)/';
const KERNEL = '^src/(config|clock|logger|http)\\.ts$|^src/(db|entities|messages|metrics|outbox)/';
/** Pure rules: decisions and wording over values, no database, network or file system. */
const PURE =
  '^src/services/([^/]+/rules|[^/]+/text|calendar/(calendar|deadlines|time|deadline-text|provisional|date-phrases|date-replies|deadline-input|year-choice)|pii/(detector|report|gate))\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood, tested or moved one at a time.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'bot-is-transport',
      severity: 'error',
      comment: 'src/bot verifies, decrypts, sends and records; it knows nothing of the domain.',
      from: { path: '^src/bot/' },
      to: { path: '^src/(app|handlers|services|board|jobs)/|' + TOP },
    },
    {
      name: 'app-below-top',
      severity: 'error',
      comment: 'The pipeline is composed by the runtime, never the other way round.',
      from: { path: '^src/app/' },
      to: { path: '^src/(board|jobs)/|' + TOP },
    },
    {
      name: 'handlers-below-app',
      severity: 'error',
      comment: 'Handlers return results; the pipeline and the transport turn them into effects.',
      from: { path: '^src/handlers/' },
      to: { path: '^src/(app|bot|board|jobs)/|' + TOP },
    },
    {
      name: 'services-below-handlers',
      severity: 'error',
      comment: 'Services return outcomes; they never reach up into handlers, the board or the transport.',
      from: { path: '^src/services/' },
      to: { path: '^src/(app|bot|handlers|board|jobs)/|' + TOP },
    },
    {
      name: 'kernel-is-the-ground',
      severity: 'error',
      comment: 'Entities, the database, messages and the outbox queue import nothing above them.',
      from: { path: KERNEL },
      to: { path: '^src/(app|bot|handlers|services|board|jobs)/|' + TOP, pathNot: PURE },
    },
    {
      name: 'kernel-takes-only-types-from-rules',
      severity: 'error',
      comment: 'A column may hold a value shaped by a rule (a PII finding, a local date), nothing more.',
      from: { path: KERNEL },
      to: { path: PURE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'board-beside-handlers',
      severity: 'error',
      comment: 'The board reads services like the handlers do; it does not borrow handler code.',
      from: { path: '^src/board/' },
      to: { path: '^src/(app|handlers|jobs)/|' + TOP },
    },
    {
      name: 'jobs-below-top',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/(board|handlers)/|' + TOP },
    },
    {
      name: 'pure-rules-do-no-io',
      severity: 'error',
      comment: 'Rules are plain functions of values: table-testable, callable from a worker or the CLI.',
      from: { path: PURE },
      to: {
        path: '^src/(db|app|bot|board|jobs)/|^node_modules/(typeorm|mysql2|better-sqlite3|koa|exceljs|mammoth|undici)/|^(fs|net|http|https|child_process|worker_threads)$',
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
