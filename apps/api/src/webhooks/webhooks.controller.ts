import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Context, CurrentPrincipal, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { mapPage } from '../common/http/cursor';
import { PageQueryDto } from '../common/validation/page-query.dto';
import { toWebhook, toWebhookDelivery } from './webhook.mapper';
import { CreateWebhookDto, UpdateWebhookDto } from './webhooks.dto';
import { deliveryNotFound, webhookNotFound } from './webhooks.errors';
import { WebhooksService } from './webhooks.service';

const WEBHOOK_ID = new ParseUUIDPipe({ exceptionFactory: webhookNotFound });
const DELIVERY_ID = new ParseUUIDPipe({ exceptionFactory: deliveryNotFound });

@Controller('orgs/:orgId/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The signing secret is in this answer only. */
  @RequirePermission('webhooks:manage')
  @Post()
  async create(@CurrentScope() scope: Scope, @Body() dto: CreateWebhookDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    const { webhook, secret } = await this.webhooks.create(scope, dto, principal, context);
    return { webhook: toWebhook(webhook), secret };
  }

  @RequirePermission('webhooks:read')
  @Get()
  async list(@CurrentScope() scope: Scope, @Query() query: PageQueryDto) {
    return mapPage(await this.webhooks.list(scope, query.limit, query.cursor), toWebhook);
  }

  @RequirePermission('webhooks:read')
  @Get(':webhookId')
  async get(@CurrentScope() scope: Scope, @Param('webhookId', WEBHOOK_ID) id: string) {
    return toWebhook(await this.webhooks.get(scope, id));
  }

  @RequirePermission('webhooks:manage')
  @Patch(':webhookId')
  async update(@CurrentScope() scope: Scope, @Param('webhookId', WEBHOOK_ID) id: string, @Body() dto: UpdateWebhookDto, @Context() context: RequestContext) {
    return toWebhook(await this.webhooks.update(scope, id, dto, context));
  }

  @RequirePermission('webhooks:manage')
  @Delete(':webhookId')
  @HttpCode(204)
  async delete(@CurrentScope() scope: Scope, @Param('webhookId', WEBHOOK_ID) id: string, @Context() context: RequestContext): Promise<void> {
    await this.webhooks.delete(scope, id, context);
  }

  /** The new secret is in this answer only; the old one signs too for 24 h. */
  @RequirePermission('webhooks:manage')
  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  async rotateSecret(@CurrentScope() scope: Scope, @Param('webhookId', WEBHOOK_ID) id: string, @Context() context: RequestContext) {
    const { webhook, secret } = await this.webhooks.rotateSecret(scope, id, context);
    return { webhook: toWebhook(webhook), secret };
  }

  @RequirePermission('webhooks:read')
  @Get(':webhookId/deliveries')
  async deliveries(@CurrentScope() scope: Scope, @Param('webhookId', WEBHOOK_ID) id: string, @Query() query: PageQueryDto) {
    return mapPage(await this.webhooks.deliveriesOf(scope, id, query.limit, query.cursor), toWebhookDelivery);
  }

  @RequirePermission('webhooks:manage')
  @Post(':webhookId/test')
  @HttpCode(202)
  async sendTest(@CurrentScope() scope: Scope, @Param('webhookId', WEBHOOK_ID) id: string) {
    return toWebhookDelivery(await this.webhooks.sendTest(scope, id));
  }

  @RequirePermission('webhooks:manage')
  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  async redeliver(@CurrentScope() scope: Scope, @Param('webhookId', WEBHOOK_ID) id: string, @Param('deliveryId', DELIVERY_ID) deliveryId: string) {
    return toWebhookDelivery(await this.webhooks.redeliver(scope, id, deliveryId));
  }
}
