// La page d'approbation sur le téléphone, en français (TEP §5).
import type { ApprovalText } from './en.js'

export const fr: ApprovalText = {
  title: 'Confirmer la configuration de la sécurité de connexion',
  organisation: 'Organisation', host: 'Adresse web', account: 'Compte', computer: 'Ordinateur', requested: 'Date de la demande',
  warnTitle: 'Ne continuez que si vous venez de scanner ce code dans la fenêtre Unloop de votre ordinateur.',
  warnBody: 'Si vous avez ouvert cette page depuis un e-mail ou un SMS, arrêtez-vous et fermez-la. Cette page ne demande jamais votre mot de passe.',
  number: 'Nombre affiché sur votre ordinateur', code: 'Code actuel à 6 chiffres de votre application d’authentification',
  approve: 'Approuver', deny: 'Je n’ai pas fait cette demande',
  wrong_number: {
    one: 'Ce nombre ne correspond pas à celui affiché sur votre ordinateur. Il reste {n} tentative.',
    many: 'Ce nombre ne correspond pas à celui affiché sur votre ordinateur. Il reste {n} de tentatives.',
    other: 'Ce nombre ne correspond pas à celui affiché sur votre ordinateur. Il reste {n} tentatives.',
  },
  invalid_code: 'Ce code est incorrect. Vérifiez le code dans votre application d’authentification.',
  code_replayed: 'Ce code a déjà été utilisé. Attendez le code suivant dans l’application, puis saisissez-le.',
  clock_skew: 'L’horloge de votre téléphone est décalée. Réglez sa date et son heure sur automatique, puis réessayez.',
  locked: 'Trop de tentatives échouées. Patientez un moment, puis recommencez sur votre ordinateur.',
  missing: 'Saisissez le nombre et le code.',
  approved: 'C’est fait. Revenez à votre ordinateur.',
  denied: 'Configuration annulée. Si vous n’êtes pas à l’origine de cette demande, prévenez votre service informatique.',
  failed: 'Trop de tentatives erronées. Recommencez sur votre ordinateur.',
  expired: 'Cette demande a expiré. Recommencez sur votre ordinateur.',
  invalid: 'Ce lien n’est pas valide ou a déjà été utilisé.',
}
