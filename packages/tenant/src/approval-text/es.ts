// The phone approval page in Spanish (TEP §5): neutral Spanish, “usted” like the rest of the Spanish catalogue.
import type { ApprovalText } from './en.js'

export const es: ApprovalText = {
  title: 'Confirmar la configuración de seguridad de inicio de sesión',
  organisation: 'Organización', host: 'Dirección web', account: 'Cuenta', computer: 'Equipo', requested: 'Fecha de la solicitud',
  warnTitle: 'Continúe solo si acaba de escanear este código desde la ventana de Unloop de su equipo.',
  warnBody: 'Si abrió esta página desde un correo electrónico o un mensaje de texto, no siga: ciérrela. Esta página nunca le pide la contraseña.',
  number: 'Número que se muestra en su equipo', code: 'Código actual de 6 dígitos de su aplicación de autenticación',
  approve: 'Aprobar', deny: 'Yo no inicié esto',
  wrong_number: {
    one: 'Ese número no coincide con el de su equipo. Le queda {n} intento.',
    many: 'Ese número no coincide con el de su equipo. Le quedan {n} de intentos.',
    other: 'Ese número no coincide con el de su equipo. Le quedan {n} intentos.',
  },
  invalid_code: 'Ese código no es correcto. Compruebe el código en su aplicación de autenticación.',
  code_replayed: 'Ese código ya se usó. Espere al siguiente código de la aplicación y escríbalo.',
  clock_skew: 'La hora de su teléfono no es correcta. Haga que la fecha y la hora se establezcan automáticamente y vuelva a intentarlo.',
  locked: 'Demasiados intentos fallidos. Espere un rato y vuelva a empezar en su equipo.',
  missing: 'Escriba el número y el código.',
  approved: 'Listo. Vuelva a su equipo.',
  denied: 'Configuración cancelada. Si no la inició usted, avise al departamento de TI.',
  failed: 'Demasiados intentos incorrectos. Vuelva a empezar en su equipo.',
  expired: 'Esta solicitud ha caducado. Vuelva a empezar en su equipo.',
  invalid: 'Este vínculo no es válido o ya se usó.',
}
