import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { CoreOptions } from '@madoguchi/kernel';
import { ApiModule } from '../../api/src/api.module';
import { OfficeModule } from '../../office/src/office.module';
import { PortalModule } from '../../portal/src/portal.module';
import { ServedAppsMiddleware } from './served-apps.middleware';

/**
 * The composition root: the JSON API (which carries the core and the
 * domain libraries) plus the page apps. Which of them a process serves is
 * the ServedAppsMiddleware's decision (`APPS`).
 */
@Module({})
export class ServerModule implements NestModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: ServerModule,
      imports: [ApiModule.forRoot(options), PortalModule, OfficeModule],
      providers: [ServedAppsMiddleware],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ServedAppsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
