/**
 * Baseline for the benchmark: the plainest bot on the same stack (restify 11 + CloudAdapter without app id +
 * ActivityHandler that echoes the text). Replies go to the same mock connector as the real bot's.
 */
import { closeServer, listenOn, urlOf } from '../src/serverLifecycle';
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

export interface EchoBot {
  url: string;
  close(): Promise<void>;
}

export async function startEchoBot(): Promise<EchoBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' }));
  adapter.onTurnError = async () => undefined;
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    await next();
  });
  const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  const port = await listenOn(server, 0, '127.0.0.1');
  return { url: urlOf('127.0.0.1', port), close: () => closeServer(server) };
}

/**
 * The same baseline on the Microsoft 365 Agents SDK: restify 11 + the Agents CloudAdapter without app id + an
 * AgentApplication that echoes the text, served through the same WebResponse shim as the Agents host.
 */
export async function startAgentsEchoBot(): Promise<EchoBot> {
  const { AgentApplication, CloudAdapter } = require('@microsoft/agents-hosting') as typeof import('@microsoft/agents-hosting');
  const { webResponse } = require('../src/agents') as typeof import('../src/agents');
  const adapter = new CloudAdapter({});
  const app = new AgentApplication({ adapter, startTypingTimer: false });
  app.onError(async () => undefined);
  app.onActivity('message', async (context) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  });
  const server = restify.createServer({ name: 'echo-agents', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const request = { body: req.body as Record<string, unknown>, headers: req.headers as Record<string, string>, method: req.method };
    await adapter.process(request, webResponse(res), (context) => app.run(context));
    if (!res.writableEnded) res.end();
  });
  const port = await listenOn(server, 0, '127.0.0.1');
  return { url: urlOf('127.0.0.1', port), close: () => closeServer(server) };
}
