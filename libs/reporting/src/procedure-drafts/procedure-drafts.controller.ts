import { Body, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, type StaffPrincipal } from '@madoguchi/identity';
import { ApiController, StaffOnly } from '@madoguchi/kernel';
import {
  DryRunRequestDto,
  type DryRunView,
  ProcedureDraftCreateDto,
  ProcedureDraftUpdateDto,
  type ProcedureDiffView,
  type ProcedureDraftView,
  type PublishedDraftView,
} from '../dto/procedure-draft.dto';
import { ProcedureDraftsService } from './procedure-drafts.service';

@ApiTags('procedure-drafts')
@ApiController('admin/procedure-drafts')
@StaffOnly('administrator')
export class ProcedureDraftsController {
  constructor(private readonly drafts: ProcedureDraftsService) {}

  @Post()
  @ApiOperation({ summary: 'Upload a procedure definition (YAML) as a draft; 422 lists every problem with its file, JSON pointer and reason' })
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: ProcedureDraftCreateDto): Promise<ProcedureDraftView> {
    return this.drafts.create(staff, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A draft with its text, its last dry run and whether it was published' })
  get(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string): Promise<ProcedureDraftView> {
    return this.drafts.get(staff, id);
  }

  @Put(':id')
  @ApiOperation({ summary: "Replace a draft's text (its dry run no longer counts for publishing)" })
  update(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() body: ProcedureDraftUpdateDto): Promise<ProcedureDraftView> {
    return this.drafts.update(staff, id, body);
  }

  @Get(':id/diff')
  @ApiOperation({ summary: 'What the draft changes against the published version: form fields, fee, approval route, steps, document' })
  diff(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string): Promise<ProcedureDiffView> {
    return this.drafts.diff(staff, id);
  }

  @Post(':id/dry-run')
  @HttpCode(200)
  @ApiOperation({ summary: "Replay the published version's last N cases against the draft in memory: same state, refused at which event, answers no longer valid" })
  dryRun(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() body: DryRunRequestDto): Promise<DryRunView> {
    return this.drafts.dryRun(staff, id, body);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the draft as the next version; 409 unless a dry run of exactly this text against the current version exists' })
  publish(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string): Promise<PublishedDraftView> {
    return this.drafts.publish(staff, id);
  }
}
