// The phone approval page in Korean (TEP §5): Microsoft's polite style (~합니다 / ~하세요).
import type { ApprovalText } from './en.js'

export const ko: ApprovalText = {
  title: '로그인 보안 설정 확인',
  organisation: '조직', host: '웹 주소', account: '계정', computer: '컴퓨터', requested: '요청 시각',
  warnTitle: '방금 컴퓨터의 Unloop 창에서 이 코드를 스캔한 경우에만 계속하세요.',
  warnBody: '이메일이나 문자 메시지에서 이 페이지를 열었다면 여기서 멈추고 이 페이지를 닫으세요. 이 페이지는 절대 암호를 묻지 않습니다.',
  number: '컴퓨터에 표시된 숫자', code: '인증 앱에 표시된 현재 6자리 코드',
  approve: '승인', deny: '본인이 시작하지 않았습니다',
  wrong_number: { other: '컴퓨터에 표시된 숫자와 일치하지 않습니다. {n}번 더 시도할 수 있습니다.' },
  invalid_code: '코드가 올바르지 않습니다. 인증 앱의 코드를 확인하세요.',
  code_replayed: '이미 사용한 코드입니다. 앱에 다음 코드가 표시될 때까지 기다린 다음 입력하세요.',
  clock_skew: '휴대폰의 시계가 맞지 않습니다. 날짜와 시간을 자동으로 설정한 다음 다시 시도하세요.',
  locked: '실패한 시도가 너무 많습니다. 잠시 기다린 다음 컴퓨터에서 다시 시작하세요.',
  missing: '숫자와 코드를 입력하세요.',
  approved: '완료되었습니다. 컴퓨터로 돌아가세요.',
  denied: '설정이 취소되었습니다. 직접 시작한 것이 아니라면 IT 부서에 알리세요.',
  failed: '잘못된 시도가 너무 많습니다. 컴퓨터에서 다시 시작하세요.',
  expired: '이 요청은 만료되었습니다. 컴퓨터에서 다시 시작하세요.',
  invalid: '이 링크는 유효하지 않거나 이미 사용되었습니다.',
}
