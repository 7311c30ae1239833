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
