import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { ApplicationsModule } from '@madoguchi/applications';
import { ApprovalsModule } from '@madoguchi/approvals';
import { AuditModule } from '@madoguchi/audit';
import { BookingsModule } from '@madoguchi/bookings';
import { DocumentsModule } from '@madoguchi/documents';
import { CounterModule } from '@madoguchi/counter';
import { IdentityModule } from '@madoguchi/identity';
import { API_PREFIX, CoreModule, type CoreOptions, RequestCharactersMiddleware, RequestLoggingMiddleware, TenantMiddleware } from '@madoguchi/kernel';
import { KpiModule, KpiReportSource } from '@madoguchi/kpi';
import { NotificationsModule } from '@madoguchi/notifications';
import { PaymentsModule } from '@madoguchi/payments';
import { ProceduresModule } from '@madoguchi/procedures';
import { ReportingModule } from '@madoguchi/reporting';
import { RetentionModule } from '@madoguchi/retention';
import { HealthController } from './health.controller';
import { API_DOCS_PATH } from './http-setup';
import { JsonBodyMiddleware, PdfBodyMiddleware, RawUploadMiddleware } from './json-body.middleware';

@Module({})
export class ApiModule implements NestModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [CoreModule.forRoot(options), ProceduresModule, ApplicationsModule, KpiModule, AuditModule, IdentityModule, NotificationsModule, PaymentsModule, CounterModule, ApprovalsModule, DocumentsModule, BookingsModule, ReportingModule.withKpiSource({ imports: [KpiModule], useExisting: KpiReportSource }), RetentionModule],
      controllers: [HealthController],
      providers: [JsonBodyMiddleware, RawUploadMiddleware, PdfBodyMiddleware],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Characters first: nothing below (tenancy, guards, pipes, PostgreSQL) sees a NUL or bad UTF-8 from the URL.
    consumer.apply(RequestLoggingMiddleware, RequestCharactersMiddleware, JsonBodyMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
    consumer.apply(RawUploadMiddleware).forRoutes({ path: `${API_PREFIX}/applications/:id/attachments`, method: RequestMethod.POST });
    consumer.apply(PdfBodyMiddleware).forRoutes({ path: `${API_PREFIX}/documents/verify`, method: RequestMethod.POST });
    consumer
      .apply(TenantMiddleware)
      .exclude(
        { path: 'health/*path', method: RequestMethod.ALL },
        { path: `${API_DOCS_PATH}`, method: RequestMethod.ALL },
        { path: `${API_DOCS_PATH}/*path`, method: RequestMethod.ALL },
        { path: `${API_DOCS_PATH}-json`, method: RequestMethod.ALL },
        // Another company's service in stand-in: it names the merchant in its own paths.
        { path: 'simulated-provider/*path', method: RequestMethod.ALL },
        { path: 'simulated-digital-auth/*path', method: RequestMethod.ALL },
        // Document verification is reached from printed QR codes, which name the municipality in `?m=`.
        { path: `${API_PREFIX}/verify`, method: RequestMethod.GET },
        { path: `${API_PREFIX}/verify/*path`, method: RequestMethod.GET },
        { path: `${API_PREFIX}/documents/verify`, method: RequestMethod.POST },
      )
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
