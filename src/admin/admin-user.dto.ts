import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ADMIN_ROLES, AdminRole } from './admin-user.entity';

/** The same length rule as ADMIN_PASSWORD (src/config/config.ts). */
export const MIN_ADMIN_PASSWORD_LENGTH = 12;

export class CreateAdminUserDto {
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email!: string;

  @IsString()
  @MinLength(MIN_ADMIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters` })
  @MaxLength(1024)
  password!: string;

  @IsIn(ADMIN_ROLES, { message: `role must be one of ${ADMIN_ROLES.join(', ')}` })
  role!: AdminRole;

  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class UpdateAdminUserDto {
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email?: string;

  /** Absent or empty: the password stays as it is. */
  @IsOptional()
  @IsString()
  @MinLength(MIN_ADMIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters` })
  @MaxLength(1024)
  password?: string;

  @IsOptional()
  @IsIn(ADMIN_ROLES, { message: `role must be one of ${ADMIN_ROLES.join(', ')}` })
  role?: AdminRole;

  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
