/** The Microsoft 365 Agents SDK host (MELDWIJZER_HOST=agents), loaded by src/app.ts only when it hosts. */
export { createAgentsAdapter, createAgentsHost, webResponse, type AgentsHost, type AgentsHostOptions } from './host';
export { agentsProactiveAdapter } from './proactive';
