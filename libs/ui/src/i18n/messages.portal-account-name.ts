/**
 * The resident's name at registration and on the account page (issue 11,
 * portalflow). Spread into the three portal catalogs.
 */
export const accountNameMessagesJa = {
  'account.register.leadWithName': '氏名、メールアドレスとパスワードを登録します。登録したアドレスに確認のメールが届きます。',
  'account.name': '氏名',
  'account.nameHint': '住民票のとおりに書いてください。姓と名の間は空けてください。申請書の氏名の欄に、あらかじめ入ります。',
  'account.nameKana': '氏名のフリガナ',
  'account.nameKanaHint': 'カタカナで書いてください（ひらがなでも入力できます）。例：マドグチ タロウ',
  'account.name.missing': '氏名を入力してください',
  'account.name.tooLong': '氏名は50文字以内で入力してください',
  'account.nameKana.missing': '氏名のフリガナを入力してください',
  'account.nameKana.tooLong': 'フリガナは100文字以内で入力してください',
  'account.nameKana.notKatakana': 'フリガナはカタカナで入力してください',
  'account.home.nameNotGiven': '登録されていません',
};

export const accountNameMessagesJaEasy: typeof accountNameMessagesJa = {
  'account.register.leadWithName': '名前（なまえ）と メールアドレスと パスワードを 登録（とうろく）します。確認（かくにん）の メールが とどきます。',
  'account.name': '名前（なまえ）',
  'account.nameHint': '住民票（じゅうみんひょう）と 同（おな）じ 名前（なまえ）を 書（か）いて ください。名字（みょうじ）と 名前（なまえ）の 間（あいだ）は あけて ください。申請（しんせい）の ときに 名前（なまえ）が 先（さき）に 入（はい）ります。',
  'account.nameKana': '名前（なまえ）の 読（よ）み方（かた）',
  'account.nameKanaHint': 'カタカナで 書（か）いて ください（ひらがなでも いいです）。例（れい）：マドグチ タロウ',
  'account.name.missing': '名前（なまえ）を 書（か）いて ください',
  'account.name.tooLong': '名前（なまえ）は 50文字（もじ）まで です',
  'account.nameKana.missing': '名前（なまえ）の 読（よ）み方（かた）を 書（か）いて ください',
  'account.nameKana.tooLong': '読（よ）み方（かた）は 100文字（もじ）まで です',
  'account.nameKana.notKatakana': '読（よ）み方（かた）は カタカナで 書（か）いて ください',
  'account.home.nameNotGiven': '登録（とうろく）されて いません',
};

export const accountNameMessagesEn: typeof accountNameMessagesJa = {
  'account.register.leadWithName': 'Register your name, email address and a password. A confirmation email will be sent to the address.',
  'account.name': 'Full name',
  'account.nameHint': 'As on your certificate of residence, family name first, with a space before your given name. It is filled in for you on application forms.',
  'account.nameKana': 'Full name in katakana (furigana)',
  'account.nameKanaHint': 'How your name is read, in katakana (hiragana is accepted too).',
  'account.name.missing': 'Enter your full name',
  'account.name.tooLong': 'Your name must be 50 characters or fewer',
  'account.nameKana.missing': 'Enter your name in katakana',
  'account.nameKana.tooLong': 'The reading must be 100 characters or fewer',
  'account.nameKana.notKatakana': 'Enter the reading in katakana',
  'account.home.nameNotGiven': 'Not given',
};
