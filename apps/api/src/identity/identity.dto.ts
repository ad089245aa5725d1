import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { NOT_BLANK_PATTERN } from '@keyring/contracts';

export class SetupDto {
  @IsString()
  @Length(1, 512)
  setupToken!: string;

  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @IsString()
  @MaxLength(1024)
  password!: string;

  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK_PATTERN, { message: 'organizationName must not be blank' })
  organizationName!: string;
}

export class LoginDto {
  @IsString()
  @Length(1, 254)
  email!: string;

  @IsString()
  @Length(1, 1024)
  password!: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$|^[a-z0-9]{4}-[a-z0-9]{4}$/, { message: 'totpCode must be a 6-digit code or a recovery code' })
  totpCode?: string;
}

export class TotpCodeDto {
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the 6-digit code from your authenticator app' })
  code!: string;
}

export class DisableTotpDto {
  @IsString()
  @Length(1, 1024)
  password!: string;

  @IsString()
  @Matches(/^\d{6}$|^[a-z0-9]{4}-[a-z0-9]{4}$/, { message: 'code must be a 6-digit code or a recovery code' })
  code!: string;
}

export class ChangePasswordDto {
  @IsString()
  @Length(1, 1024)
  currentPassword!: string;

  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}
