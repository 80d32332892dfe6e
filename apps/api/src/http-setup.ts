import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { DomainExceptionFilter } from '@madoguchi/kernel';
import { buildOpenApiDocument } from './openapi/openapi-document';

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
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app));
}
