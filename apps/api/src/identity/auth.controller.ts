import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Context, CurrentPrincipal, Public, SignedIn } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { AuthService, type SessionView } from './auth.service';
import { ChangePasswordDto, DisableTotpDto, LoginDto, TotpCodeDto } from './identity.dto';
import { SESSION_COOKIE } from '../access/access-lookups';
import { SESSION_ABSOLUTE_HOURS } from './sessions.service';
import { TotpService } from './totp.service';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly totp: TotpService,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Context() context: RequestContext, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    const { sessionToken, view } = await this.auth.login(dto, context);
    res.cookie(SESSION_COOKIE, sessionToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.nodeEnv === 'production',
      path: '/',
      maxAge: SESSION_ABSOLUTE_HOURS * 3600 * 1000,
    });
    return view;
  }

  @SignedIn()
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentPrincipal() principal: Principal, @Context() context: RequestContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(principal.sessionId, principal.userId, context);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** Starts two-factor enrolment: the otpauth:// URL (for a QR code) and the secret, shown this once. */
  @SignedIn()
  @Post('totp/enrol')
  @HttpCode(200)
  enrolTotp(@CurrentPrincipal() principal: Principal) {
    return this.totp.enrol(principal.userId, principal.email);
  }

  @SignedIn()
  @Post('totp/confirm')
  @HttpCode(200)
  confirmTotp(@CurrentPrincipal() principal: Principal, @Body() dto: TotpCodeDto, @Context() context: RequestContext) {
    return this.totp.confirm({ userId: principal.userId, email: principal.email }, dto.code, context);
  }

  @SignedIn()
  @Post('totp/disable')
  @HttpCode(204)
  async disableTotp(@CurrentPrincipal() principal: Principal, @Body() dto: DisableTotpDto, @Context() context: RequestContext) {
    await this.totp.disable({ userId: principal.userId, email: principal.email }, dto.password, dto.code, context);
  }

  /** Needs the current password; every other session of the user is signed out. */
  @SignedIn()
  @Post('password')
  @HttpCode(204)
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() dto: ChangePasswordDto, @Context() context: RequestContext): Promise<void> {
    await this.auth.changePassword(principal.userId, principal.sessionId, dto.currentPassword, dto.newPassword, context);
  }

  @SignedIn()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<SessionView> {
    // @SignedIn(): the guard found a live session for this cookie.
    return this.auth.view(principal.userId, req.cookies[SESSION_COOKIE] as string);
  }
}
