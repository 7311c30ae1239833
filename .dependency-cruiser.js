/**
 * The dependency rule (docs/architecture.md), enforced in `npm test` (test/architecture/dependencies.test.ts):
 * - the domain core (src/meldcode, src/policy, src/privacy) imports nothing outside the domain core: no SDK, no HTTP,
 *   no database, no feature, no host — only zod and adaptive-expressions from npm;
 * - features never import a host (src/bot, the HTTP servers); no host imports another host;
 * - no circular imports outside the domain core.
 */
const DOMAIN = '^src/(meldcode|policy|privacy)/';
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-core-is-pure',
      comment: 'The domain core knows no SDK, HTTP, database, feature or host: it is tested alone and runs on every host.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { pathNot: [DOMAIN, '^policy/', '(^|/)node_modules/(zod|adaptive-expressions)/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-core-no-node-io',
      comment: 'No network or process access in the domain core.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { dependencyTypes: ['core'], path: '^(http|https|net|child_process|cluster|dgram|tls)$' },
    },
    {
      name: 'no-sdk-outside-hosts-and-adapters',
      comment: 'Only the host layer (and the store/transport adapters that implement SDK ports) may import the Bot Framework SDK.',
      severity: 'error',
      from: { pathNot: ['^src/bot/', '^src/app\\.ts$', '^src/store/botStorage\\.ts$', '^src/overleg/', '^src/coordinator/', '^dialogs/', '^test/', '^bench/'] },
      to: { path: '(^|/)node_modules/(botbuilder|botbuilder-dialogs|botframework-connector|botbuilder-core)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: DOMAIN },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|test|bench)/' },
  },
};
