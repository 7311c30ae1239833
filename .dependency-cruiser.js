/**
 * The dependency rule (docs/architecture.md), enforced in `npm test` (test/architecture/dependencies.test.ts):
 * - the domain core (src/meldcode with its policy in src/meldcode/policy, src/privacy) imports nothing outside the
 *   domain core: no SDK, no HTTP, no database, no feature, no host — only the policy data (policy/) and zod and
 *   adaptive-expressions from npm;
 * - features (src/consultation, src/overleg, src/coordinator, src/records) and the shared modules every feature uses
 *   (dialogs/, cards/, src/texts, src/identity.ts) never import the host (src/bot, src/app.ts, src/index.ts);
 * - the shared machinery (dialogs/, cards/, src/texts, src/identity.ts) imports no feature;
 * - only the host, the features' conversations and the SDK adapters import the Bot Framework SDK;
 * - no circular imports outside the domain core.
 */
const DOMAIN = '^src/(meldcode|privacy)/';
const FEATURES = '^src/(consultation|overleg|coordinator|records)/';
const SHARED = ['^dialogs/', '^cards/', '^src/texts/', '^src/identity\\.ts$'];
const HOST = ['^src/bot/', '^src/app\\.ts$', '^src/index\\.ts$'];
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
      name: 'features-never-import-the-host',
      comment: 'A feature hands the host a BotFeature (dialogs/feature.ts); the host wires it in. Never the other way round.',
      severity: 'error',
      from: { path: [FEATURES, ...SHARED] },
      to: { path: HOST },
    },
    {
      name: 'shared-knows-no-feature',
      comment: 'Question machinery, card rendering, texts and identity serve every feature and know none of them.',
      severity: 'error',
      from: { path: SHARED },
      to: { path: FEATURES },
    },
    {
      name: 'no-sdk-outside-hosts-and-adapters',
      comment: 'Only the host layer, the features\' conversations (and the store/transport adapters that implement SDK ports) may import the Bot Framework SDK.',
      severity: 'error',
      from: { pathNot: [...HOST, '^src/store/botStorage\\.ts$', '^src/consultation/', '^src/overleg/', '^src/coordinator/', '^dialogs/', '^test/', '^bench/'] },
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
