import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DomainExceptionFilter } from '@madoguchi/kernel';

/** The OpenAPI document: a page at /api/docs, the JSON at /api/docs-json. */
export const API_DOCS_PATH = 'api/docs';

/** Everything about HTTP that is the same in production and in tests. */
export function configureHttp(app: INestApplication): void {
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
  SwaggerModule.setup(API_DOCS_PATH, app, document);
}
