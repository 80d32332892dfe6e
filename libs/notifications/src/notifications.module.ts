import { Module, type OnModuleInit } from '@nestjs/common';
import { EngineModule } from '@madoguchi/engine';
import { IdentityModule } from '@madoguchi/identity';
import { ProceduresModule } from '@madoguchi/procedures';
import { OutboxHandlerRegistry } from '@madoguchi/kernel';
import { EmailChannel } from './notification-channel';
import { NotificationRepository } from './notification.repository';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/** Messages to residents about their applications. Sends; decides nothing about applications. */
@Module({
  imports: [EngineModule, IdentityModule, ProceduresModule],
  controllers: [NotificationsController],
  providers: [EmailChannel, NotificationRepository, NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly handlers: OutboxHandlerRegistry,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.handlers.register('notification.resident', (message) => this.notifications.onTransition(message));
    this.handlers.register('notification.send', (message) => this.notifications.onNotifyStep(message));
  }
}
