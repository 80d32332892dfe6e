import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, DomainExceptionFilter } from '@madoguchi/kernel';
import { buildOpenApiDocument } from './openapi/openapi-document';

/** The OpenAPI document: a page at /api/docs, the JSON at /api/docs-json. */
export const API_DOCS_PATH = 'api/docs';

/** Everything about HTTP that is the same in production and in tests. */
export function configureHttp(app: INestApplication): void {
  // request.ip is what the sign-in throttle counts: only hops named in
  // TRUST_PROXY may set it through X-Forwarded-For (unset: nobody may).
  (app as NestExpressApplication).set('trust proxy', app.get<AppConfig>(APP_CONFIG).trustProxy);
  app.useGlobalFilters(new DomainExceptionFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  SwaggerModule.setup(API_DOCS_PATH, app, buildOpenApiDocument(app));
}
