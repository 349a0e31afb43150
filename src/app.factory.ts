import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminUsersService, GeneratedAdmin } from './admin/admin-users.service';
import { ApiKeyService } from './api-keys/api-key.service';
import { AppModule } from './app.module';
import { AppConfig, loadConfig } from './config/config';
import { ApiExceptionFilter } from './http/exception.filter';
import { answerClientError, sendFrameworkError } from './http/framework-errors';
import { guardRequestInput } from './http/input-guard';
import { AppLogger, inRequestScope, logAnswer } from './http/logging';
import { requestIdFor } from './http/request-id';
import { SimulatorMounts } from './http/simulator-mounts';
import { UnknownQueryGuard } from './http/unknown-query.guard';
import { apiValidationPipe } from './http/validation';
import { Metrics } from './health/metrics';
import { setUpOpenApi } from './openapi';

export interface PaymuxApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Base URL once listening. */
  url: string;
  /** A development API key generated at this start, to print once; null otherwise. */
  generatedApiKey: string | null;
  /** A development admin created at this start (e-mail and password, to print once); null otherwise. */
  generatedAdmin: GeneratedAdmin | null;
  /** Writes `text` to standard output after every log line so far (those are written asynchronously). */
  printAfterLogs(text: string): void;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Listen on config.port (default) or not at all (e.g. to write the OpenAPI document). */
  listen?: boolean;
  /** Let Nest close the app on SIGTERM/SIGINT (default); main.ts handles the signals itself. */
  shutdownHooks?: boolean;
}

export async function createApp(options: CreateAppOptions = {}): Promise<PaymuxApp> {
  const config = loadConfig(options.env ?? process.env);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestIdFor,
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    frameworkErrors: sendFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    rawBody: true,
    bufferLogs: true,
    abortOnError: false,
  });
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(apiValidationPipe());
  app.useGlobalGuards(new UnknownQueryGuard());
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  installHttpHooks(app, logger);
  setUpOpenApi(app);

  await app.init();
  const generatedApiKey = await app.get(ApiKeyService).ensureStartupKey(config.bootstrapApiKey, config.production);
  const generatedAdmin = config.admin.enabled ? await app.get(AdminUsersService).ensureStartupAdmin(config.admin, config.production) : null;
  let url = '';
  if (options.listen !== false) {
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = `http://127.0.0.1:${port}`;
  }
  return { app, config, url, generatedApiKey, generatedAdmin, printAfterLogs: (text) => logger.printAfterLogs(text), close: () => app.close() };
}

function installHttpHooks(app: NestFastifyApplication, appLogger: AppLogger): void {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(Metrics);
  const simulators = app.get(SimulatorMounts);
  const logger = appLogger.pino;
  // Callback-style hooks: an async hook costs every request a promise or two.
  fastify.addHook('preValidation', (request, _reply, done) => done(guardRequestInput(request)));

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const simulator = simulators.find(request.raw.url);
    if (!simulator) return done();
    reply.raw.setHeader('x-request-id', request.id);
    void reply.hijack();
    simulator.handle(request.raw, reply.raw).then(() => done(), done);
  });

  // After the body is read (its stream events run outside any request's context), so that Nest's
  // guards, pipes, handler and filter log with the request's id.
  fastify.addHook('preHandler', (request, _reply, done) => inRequestScope(request.id, done));

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    logAnswer(logger, request, reply);
    done();
  });
}

export { loadConfig };
