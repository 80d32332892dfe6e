import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, DomainExceptionFilter } from '@madoguchi/kernel';

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
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Madoguchi API')
      .setDescription('窓口 — municipal procedures online, end to end. Errors share one shape: { statusCode, code, message: { ja, en }, details?, requestId }.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
