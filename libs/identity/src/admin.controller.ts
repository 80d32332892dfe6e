import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiController } from '@madoguchi/kernel';
import { ApiTags } from '@nestjs/swagger';
import { AuditService, type AuditPage, type AuditVerification } from '@madoguchi/audit';
import { CurrentStaff, StaffOnly } from './access/access.decorators';
import type { StaffPrincipal } from './access/principal';
import type { Department } from './accounts/department.repository';
import { type LockedStaffDto, type StaffDto, toLockedStaffDto, toStaffDto } from './dto/auth-response.dto';
import { AuditQueryDto, DepartmentDto, StaffCreateDto, StaffUpdateDto } from './dto/auth.dto';
import { StaffAdminService } from './staff/staff-admin.service';

/** Administrators only: staff, departments, the audit log. */
@ApiTags('administration')
@ApiController('admin')
@StaffOnly('administrator')
export class AdminController {
  constructor(
    private readonly admin: StaffAdminService,
    private readonly audit: AuditService,
  ) {}

  @Get('staff')
  async listStaff(@CurrentStaff() admin: StaffPrincipal): Promise<StaffDto[]> {
    return (await this.admin.list(admin.municipalityId)).map(toStaffDto);
  }

  @Post('staff')
  async createStaff(
    @CurrentStaff() admin: StaffPrincipal,
    @Body() body: StaffCreateDto,
  ): Promise<StaffDto & { totp?: { secret: string; otpauthUri: string } }> {
    const { account, totp } = await this.admin.create(admin.municipalityId, admin.id, body);
    return totp ? { ...toStaffDto(account), totp } : toStaffDto(account);
  }

  /** Declared before staff/:id so "locked" is not read as an id. */
  @Get('staff/locked')
  async listLockedStaff(@CurrentStaff() admin: StaffPrincipal): Promise<LockedStaffDto[]> {
    return (await this.admin.listLocked(admin.municipalityId)).map(toLockedStaffDto);
  }

  @Post('staff/:id/unlock')
  @HttpCode(204)
  unlockStaff(@CurrentStaff() admin: StaffPrincipal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.admin.unlock(admin.municipalityId, admin.id, id);
  }

  @Post('staff/:id/totp/reset')
  @HttpCode(200)
  resetStaffTotp(@CurrentStaff() admin: StaffPrincipal, @Param('id', new ParseUUIDPipe()) id: string): Promise<{ secret: string; otpauthUri: string }> {
    return this.admin.resetTotp(admin.municipalityId, admin.id, id);
  }

  @Get('staff/:id')
  async getStaff(@CurrentStaff() admin: StaffPrincipal, @Param('id', new ParseUUIDPipe()) id: string): Promise<StaffDto> {
    return toStaffDto(await this.admin.get(admin.municipalityId, id));
  }

  @Put('staff/:id')
  async updateStaff(@CurrentStaff() admin: StaffPrincipal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: StaffUpdateDto): Promise<StaffDto> {
    return toStaffDto(await this.admin.update(admin.municipalityId, admin.id, id, body));
  }

  @Get('departments')
  listDepartments(@CurrentStaff() admin: StaffPrincipal): Promise<Department[]> {
    return this.admin.listDepartments(admin.municipalityId);
  }

  @Post('departments')
  createDepartment(@CurrentStaff() admin: StaffPrincipal, @Body() body: DepartmentDto): Promise<void> {
    return this.admin.createDepartment(admin.municipalityId, admin.id, body);
  }

  @Put('departments/:code')
  updateDepartment(@CurrentStaff() admin: StaffPrincipal, @Param('code') code: string, @Body() body: DepartmentDto): Promise<void> {
    return this.admin.updateDepartment(admin.municipalityId, admin.id, { ...body, code });
  }

  @Get('audit')
  listAudit(@CurrentStaff() admin: StaffPrincipal, @Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.audit.list(admin.municipalityId, { ...query, limit: query.limit ?? 100 });
  }

  @Get('audit/verify')
  verifyAudit(@CurrentStaff() admin: StaffPrincipal): Promise<AuditVerification> {
    return this.audit.verify(admin.municipalityId);
  }
}
