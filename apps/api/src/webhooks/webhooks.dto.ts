import { PartialType } from '@nestjs/mapped-types';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@keyring/contracts';

const EVENTS_MESSAGE = `events must be a list of ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export class CreateWebhookDto {
  @IsString()
  @Length(1, 2048, { message: 'url must be 1 to 2048 characters' })
  url!: string;

  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: 'events must name at least one event type' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  events!: WebhookEventType[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

/** Any field of the creation, each optional, and `enabled`. */
export class UpdateWebhookDto extends PartialType(CreateWebhookDto) {
  /** false turns the webhook off; true turns it back on (after a 410, once the receiver is back). */
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}
