// The phone approval page in Brazilian Portuguese (TEP §5).
import type { ApprovalText } from './en.js'

export const pt: ApprovalText = {
  title: 'Confirme a configuração da segurança de entrada',
  organisation: 'Organização', host: 'Endereço da Web', account: 'Conta', computer: 'Computador', requested: 'Solicitado em',
  warnTitle: 'Continue somente se você acabou de digitalizar este código na janela do Unloop no seu computador.',
  warnBody: 'Se você abriu esta página a partir de um e-mail ou de uma mensagem de texto, pare e feche esta página. Esta página nunca pede sua senha.',
  number: 'Número mostrado no seu computador', code: 'Código atual de 6 dígitos do seu aplicativo autenticador',
  approve: 'Aprovar', deny: 'Não fui eu que iniciei isso',
  wrong_number: {
    one: 'Esse número não corresponde ao mostrado no seu computador. Resta {n} tentativa.',
    many: 'Esse número não corresponde ao mostrado no seu computador. Restam {n} de tentativas.',
    other: 'Esse número não corresponde ao mostrado no seu computador. Restam {n} tentativas.',
  },
  invalid_code: 'Esse código não está correto. Verifique o código no seu aplicativo autenticador.',
  code_replayed: 'Esse código já foi usado. Aguarde o próximo código no aplicativo e insira-o.',
  clock_skew: 'O relógio do seu celular está errado. Defina a data e a hora como automáticas e tente novamente.',
  locked: 'Muitas tentativas com falha. Aguarde um pouco e comece de novo no seu computador.',
  missing: 'Insira o número e o código.',
  approved: 'Pronto. Volte para o seu computador.',
  denied: 'Configuração cancelada. Se não foi você que iniciou isso, avise o departamento de TI.',
  failed: 'Tentativas erradas demais. Comece de novo no seu computador.',
  expired: 'Esta solicitação expirou. Comece de novo no seu computador.',
  invalid: 'Este link não é válido ou já foi usado.',
}
