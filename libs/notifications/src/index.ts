export * from './notification-channel';
export * from './notification-templates';
export * from './notifications.service';
export * from './notifications.module';
