import { Body, Controller, Get, Post } from '@nestjs/common';
import { Context, Public } from '../access/access.decorators';
import type { RequestContext } from '../access/request-context';
import { SetupDto } from '../identity/identity.dto';
import { SetupService } from './setup.service';

@Controller('setup')
export class SetupController {
  constructor(private readonly setup: SetupService) {}

  @Public()
  @Get()
  async status(): Promise<{ required: boolean }> {
    return { required: await this.setup.isRequired() };
  }

  @Public()
  @Post()
  complete(@Body() dto: SetupDto, @Context() context: RequestContext) {
    return this.setup.complete(dto, context);
  }
}
