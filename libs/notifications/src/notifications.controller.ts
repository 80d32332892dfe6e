import { Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentStaff, type StaffPrincipal } from '@madoguchi/identity';
import { ApiController, StaffOnly } from '@madoguchi/kernel';
import type { FailedNotification } from './notification.repository';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiController('staff/notifications')
@StaffOnly('clerk', 'reviewer', 'manager')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** Notifications that could not be delivered (after retries the outbox keeps trying). */
  @Get('failed')
  failed(@CurrentStaff() staff: StaffPrincipal): Promise<FailedNotification[]> {
    return this.notifications.failed(staff.municipalityId);
  }
}
