// SPDX-License-Identifier: GPL-2.0
/*
 * 512 small functions for the pattern tests: rettrace_target_many_000 to
 * rettrace_target_many_777 (three octal digits: the function's number is
 * the octal literal 0NNN). Each returns -ENOENT when its number is 7
 * modulo 8 (64 of them) and 0 otherwise. "many N" calls each of them N
 * times, in order, and leaves the guest ns it took in the many_ns
 * parameter (the cost of hundreds of probes, measured by
 * scripts/pattern-cost.sh).
 *
 * And a chain of 20 nested calls, rettrace_target_nest_01 (the innermost,
 * -EHOSTDOWN) to rettrace_target_nest_20, each returning its callee's
 * error: "nest N" calls the outermost N times (the origin depth tests).
 */

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>

#include "rettrace_target.h"

static unsigned int rettrace_target_many_last;

#define RT_MANY(n)							\
	static noinline int rettrace_target_many_##n(void)		\
	{								\
		WRITE_ONCE(rettrace_target_many_last, 0##n);		\
		return (0##n % 8 == 7) ? -ENOENT : 0;			\
	}
RT_MANY(000) RT_MANY(001) RT_MANY(002) RT_MANY(003)
RT_MANY(004) RT_MANY(005) RT_MANY(006) RT_MANY(007)
RT_MANY(010) RT_MANY(011) RT_MANY(012) RT_MANY(013)
RT_MANY(014) RT_MANY(015) RT_MANY(016) RT_MANY(017)
RT_MANY(020) RT_MANY(021) RT_MANY(022) RT_MANY(023)
RT_MANY(024) RT_MANY(025) RT_MANY(026) RT_MANY(027)
RT_MANY(030) RT_MANY(031) RT_MANY(032) RT_MANY(033)
RT_MANY(034) RT_MANY(035) RT_MANY(036) RT_MANY(037)
RT_MANY(040) RT_MANY(041) RT_MANY(042) RT_MANY(043)
RT_MANY(044) RT_MANY(045) RT_MANY(046) RT_MANY(047)
RT_MANY(050) RT_MANY(051) RT_MANY(052) RT_MANY(053)
RT_MANY(054) RT_MANY(055) RT_MANY(056) RT_MANY(057)
RT_MANY(060) RT_MANY(061) RT_MANY(062) RT_MANY(063)
RT_MANY(064) RT_MANY(065) RT_MANY(066) RT_MANY(067)
RT_MANY(070) RT_MANY(071) RT_MANY(072) RT_MANY(073)
RT_MANY(074) RT_MANY(075) RT_MANY(076) RT_MANY(077)
RT_MANY(100) RT_MANY(101) RT_MANY(102) RT_MANY(103)
RT_MANY(104) RT_MANY(105) RT_MANY(106) RT_MANY(107)
RT_MANY(110) RT_MANY(111) RT_MANY(112) RT_MANY(113)
RT_MANY(114) RT_MANY(115) RT_MANY(116) RT_MANY(117)
RT_MANY(120) RT_MANY(121) RT_MANY(122) RT_MANY(123)
RT_MANY(124) RT_MANY(125) RT_MANY(126) RT_MANY(127)
RT_MANY(130) RT_MANY(131) RT_MANY(132) RT_MANY(133)
RT_MANY(134) RT_MANY(135) RT_MANY(136) RT_MANY(137)
RT_MANY(140) RT_MANY(141) RT_MANY(142) RT_MANY(143)
RT_MANY(144) RT_MANY(145) RT_MANY(146) RT_MANY(147)
RT_MANY(150) RT_MANY(151) RT_MANY(152) RT_MANY(153)
RT_MANY(154) RT_MANY(155) RT_MANY(156) RT_MANY(157)
RT_MANY(160) RT_MANY(161) RT_MANY(162) RT_MANY(163)
RT_MANY(164) RT_MANY(165) RT_MANY(166) RT_MANY(167)
RT_MANY(170) RT_MANY(171) RT_MANY(172) RT_MANY(173)
RT_MANY(174) RT_MANY(175) RT_MANY(176) RT_MANY(177)
RT_MANY(200) RT_MANY(201) RT_MANY(202) RT_MANY(203)
RT_MANY(204) RT_MANY(205) RT_MANY(206) RT_MANY(207)
RT_MANY(210) RT_MANY(211) RT_MANY(212) RT_MANY(213)
RT_MANY(214) RT_MANY(215) RT_MANY(216) RT_MANY(217)
RT_MANY(220) RT_MANY(221) RT_MANY(222) RT_MANY(223)
RT_MANY(224) RT_MANY(225) RT_MANY(226) RT_MANY(227)
RT_MANY(230) RT_MANY(231) RT_MANY(232) RT_MANY(233)
RT_MANY(234) RT_MANY(235) RT_MANY(236) RT_MANY(237)
RT_MANY(240) RT_MANY(241) RT_MANY(242) RT_MANY(243)
RT_MANY(244) RT_MANY(245) RT_MANY(246) RT_MANY(247)
RT_MANY(250) RT_MANY(251) RT_MANY(252) RT_MANY(253)
RT_MANY(254) RT_MANY(255) RT_MANY(256) RT_MANY(257)
RT_MANY(260) RT_MANY(261) RT_MANY(262) RT_MANY(263)
RT_MANY(264) RT_MANY(265) RT_MANY(266) RT_MANY(267)
RT_MANY(270) RT_MANY(271) RT_MANY(272) RT_MANY(273)
RT_MANY(274) RT_MANY(275) RT_MANY(276) RT_MANY(277)
RT_MANY(300) RT_MANY(301) RT_MANY(302) RT_MANY(303)
RT_MANY(304) RT_MANY(305) RT_MANY(306) RT_MANY(307)
RT_MANY(310) RT_MANY(311) RT_MANY(312) RT_MANY(313)
RT_MANY(314) RT_MANY(315) RT_MANY(316) RT_MANY(317)
RT_MANY(320) RT_MANY(321) RT_MANY(322) RT_MANY(323)
RT_MANY(324) RT_MANY(325) RT_MANY(326) RT_MANY(327)
RT_MANY(330) RT_MANY(331) RT_MANY(332) RT_MANY(333)
RT_MANY(334) RT_MANY(335) RT_MANY(336) RT_MANY(337)
RT_MANY(340) RT_MANY(341) RT_MANY(342) RT_MANY(343)
RT_MANY(344) RT_MANY(345) RT_MANY(346) RT_MANY(347)
RT_MANY(350) RT_MANY(351) RT_MANY(352) RT_MANY(353)
RT_MANY(354) RT_MANY(355) RT_MANY(356) RT_MANY(357)
RT_MANY(360) RT_MANY(361) RT_MANY(362) RT_MANY(363)
RT_MANY(364) RT_MANY(365) RT_MANY(366) RT_MANY(367)
RT_MANY(370) RT_MANY(371) RT_MANY(372) RT_MANY(373)
RT_MANY(374) RT_MANY(375) RT_MANY(376) RT_MANY(377)
RT_MANY(400) RT_MANY(401) RT_MANY(402) RT_MANY(403)
RT_MANY(404) RT_MANY(405) RT_MANY(406) RT_MANY(407)
RT_MANY(410) RT_MANY(411) RT_MANY(412) RT_MANY(413)
RT_MANY(414) RT_MANY(415) RT_MANY(416) RT_MANY(417)
RT_MANY(420) RT_MANY(421) RT_MANY(422) RT_MANY(423)
RT_MANY(424) RT_MANY(425) RT_MANY(426) RT_MANY(427)
RT_MANY(430) RT_MANY(431) RT_MANY(432) RT_MANY(433)
RT_MANY(434) RT_MANY(435) RT_MANY(436) RT_MANY(437)
RT_MANY(440) RT_MANY(441) RT_MANY(442) RT_MANY(443)
RT_MANY(444) RT_MANY(445) RT_MANY(446) RT_MANY(447)
RT_MANY(450) RT_MANY(451) RT_MANY(452) RT_MANY(453)
RT_MANY(454) RT_MANY(455) RT_MANY(456) RT_MANY(457)
RT_MANY(460) RT_MANY(461) RT_MANY(462) RT_MANY(463)
RT_MANY(464) RT_MANY(465) RT_MANY(466) RT_MANY(467)
RT_MANY(470) RT_MANY(471) RT_MANY(472) RT_MANY(473)
RT_MANY(474) RT_MANY(475) RT_MANY(476) RT_MANY(477)
RT_MANY(500) RT_MANY(501) RT_MANY(502) RT_MANY(503)
RT_MANY(504) RT_MANY(505) RT_MANY(506) RT_MANY(507)
RT_MANY(510) RT_MANY(511) RT_MANY(512) RT_MANY(513)
RT_MANY(514) RT_MANY(515) RT_MANY(516) RT_MANY(517)
RT_MANY(520) RT_MANY(521) RT_MANY(522) RT_MANY(523)
RT_MANY(524) RT_MANY(525) RT_MANY(526) RT_MANY(527)
RT_MANY(530) RT_MANY(531) RT_MANY(532) RT_MANY(533)
RT_MANY(534) RT_MANY(535) RT_MANY(536) RT_MANY(537)
RT_MANY(540) RT_MANY(541) RT_MANY(542) RT_MANY(543)
RT_MANY(544) RT_MANY(545) RT_MANY(546) RT_MANY(547)
RT_MANY(550) RT_MANY(551) RT_MANY(552) RT_MANY(553)
RT_MANY(554) RT_MANY(555) RT_MANY(556) RT_MANY(557)
RT_MANY(560) RT_MANY(561) RT_MANY(562) RT_MANY(563)
RT_MANY(564) RT_MANY(565) RT_MANY(566) RT_MANY(567)
RT_MANY(570) RT_MANY(571) RT_MANY(572) RT_MANY(573)
RT_MANY(574) RT_MANY(575) RT_MANY(576) RT_MANY(577)
RT_MANY(600) RT_MANY(601) RT_MANY(602) RT_MANY(603)
RT_MANY(604) RT_MANY(605) RT_MANY(606) RT_MANY(607)
RT_MANY(610) RT_MANY(611) RT_MANY(612) RT_MANY(613)
RT_MANY(614) RT_MANY(615) RT_MANY(616) RT_MANY(617)
RT_MANY(620) RT_MANY(621) RT_MANY(622) RT_MANY(623)
RT_MANY(624) RT_MANY(625) RT_MANY(626) RT_MANY(627)
RT_MANY(630) RT_MANY(631) RT_MANY(632) RT_MANY(633)
RT_MANY(634) RT_MANY(635) RT_MANY(636) RT_MANY(637)
RT_MANY(640) RT_MANY(641) RT_MANY(642) RT_MANY(643)
RT_MANY(644) RT_MANY(645) RT_MANY(646) RT_MANY(647)
RT_MANY(650) RT_MANY(651) RT_MANY(652) RT_MANY(653)
RT_MANY(654) RT_MANY(655) RT_MANY(656) RT_MANY(657)
RT_MANY(660) RT_MANY(661) RT_MANY(662) RT_MANY(663)
RT_MANY(664) RT_MANY(665) RT_MANY(666) RT_MANY(667)
RT_MANY(670) RT_MANY(671) RT_MANY(672) RT_MANY(673)
RT_MANY(674) RT_MANY(675) RT_MANY(676) RT_MANY(677)
RT_MANY(700) RT_MANY(701) RT_MANY(702) RT_MANY(703)
RT_MANY(704) RT_MANY(705) RT_MANY(706) RT_MANY(707)
RT_MANY(710) RT_MANY(711) RT_MANY(712) RT_MANY(713)
RT_MANY(714) RT_MANY(715) RT_MANY(716) RT_MANY(717)
RT_MANY(720) RT_MANY(721) RT_MANY(722) RT_MANY(723)
RT_MANY(724) RT_MANY(725) RT_MANY(726) RT_MANY(727)
RT_MANY(730) RT_MANY(731) RT_MANY(732) RT_MANY(733)
RT_MANY(734) RT_MANY(735) RT_MANY(736) RT_MANY(737)
RT_MANY(740) RT_MANY(741) RT_MANY(742) RT_MANY(743)
RT_MANY(744) RT_MANY(745) RT_MANY(746) RT_MANY(747)
RT_MANY(750) RT_MANY(751) RT_MANY(752) RT_MANY(753)
RT_MANY(754) RT_MANY(755) RT_MANY(756) RT_MANY(757)
RT_MANY(760) RT_MANY(761) RT_MANY(762) RT_MANY(763)
RT_MANY(764) RT_MANY(765) RT_MANY(766) RT_MANY(767)
RT_MANY(770) RT_MANY(771) RT_MANY(772) RT_MANY(773)
RT_MANY(774) RT_MANY(775) RT_MANY(776) RT_MANY(777)

static int (*const rettrace_target_many[])(void) = {
	rettrace_target_many_000, rettrace_target_many_001, rettrace_target_many_002,
	rettrace_target_many_003, rettrace_target_many_004, rettrace_target_many_005,
	rettrace_target_many_006, rettrace_target_many_007, rettrace_target_many_010,
	rettrace_target_many_011, rettrace_target_many_012, rettrace_target_many_013,
	rettrace_target_many_014, rettrace_target_many_015, rettrace_target_many_016,
	rettrace_target_many_017, rettrace_target_many_020, rettrace_target_many_021,
	rettrace_target_many_022, rettrace_target_many_023, rettrace_target_many_024,
	rettrace_target_many_025, rettrace_target_many_026, rettrace_target_many_027,
	rettrace_target_many_030, rettrace_target_many_031, rettrace_target_many_032,
	rettrace_target_many_033, rettrace_target_many_034, rettrace_target_many_035,
	rettrace_target_many_036, rettrace_target_many_037, rettrace_target_many_040,
	rettrace_target_many_041, rettrace_target_many_042, rettrace_target_many_043,
	rettrace_target_many_044, rettrace_target_many_045, rettrace_target_many_046,
	rettrace_target_many_047, rettrace_target_many_050, rettrace_target_many_051,
	rettrace_target_many_052, rettrace_target_many_053, rettrace_target_many_054,
	rettrace_target_many_055, rettrace_target_many_056, rettrace_target_many_057,
	rettrace_target_many_060, rettrace_target_many_061, rettrace_target_many_062,
	rettrace_target_many_063, rettrace_target_many_064, rettrace_target_many_065,
	rettrace_target_many_066, rettrace_target_many_067, rettrace_target_many_070,
	rettrace_target_many_071, rettrace_target_many_072, rettrace_target_many_073,
	rettrace_target_many_074, rettrace_target_many_075, rettrace_target_many_076,
	rettrace_target_many_077, rettrace_target_many_100, rettrace_target_many_101,
	rettrace_target_many_102, rettrace_target_many_103, rettrace_target_many_104,
	rettrace_target_many_105, rettrace_target_many_106, rettrace_target_many_107,
	rettrace_target_many_110, rettrace_target_many_111, rettrace_target_many_112,
	rettrace_target_many_113, rettrace_target_many_114, rettrace_target_many_115,
	rettrace_target_many_116, rettrace_target_many_117, rettrace_target_many_120,
	rettrace_target_many_121, rettrace_target_many_122, rettrace_target_many_123,
	rettrace_target_many_124, rettrace_target_many_125, rettrace_target_many_126,
	rettrace_target_many_127, rettrace_target_many_130, rettrace_target_many_131,
	rettrace_target_many_132, rettrace_target_many_133, rettrace_target_many_134,
	rettrace_target_many_135, rettrace_target_many_136, rettrace_target_many_137,
	rettrace_target_many_140, rettrace_target_many_141, rettrace_target_many_142,
	rettrace_target_many_143, rettrace_target_many_144, rettrace_target_many_145,
	rettrace_target_many_146, rettrace_target_many_147, rettrace_target_many_150,
	rettrace_target_many_151, rettrace_target_many_152, rettrace_target_many_153,
	rettrace_target_many_154, rettrace_target_many_155, rettrace_target_many_156,
	rettrace_target_many_157, rettrace_target_many_160, rettrace_target_many_161,
	rettrace_target_many_162, rettrace_target_many_163, rettrace_target_many_164,
	rettrace_target_many_165, rettrace_target_many_166, rettrace_target_many_167,
	rettrace_target_many_170, rettrace_target_many_171, rettrace_target_many_172,
	rettrace_target_many_173, rettrace_target_many_174, rettrace_target_many_175,
	rettrace_target_many_176, rettrace_target_many_177, rettrace_target_many_200,
	rettrace_target_many_201, rettrace_target_many_202, rettrace_target_many_203,
	rettrace_target_many_204, rettrace_target_many_205, rettrace_target_many_206,
	rettrace_target_many_207, rettrace_target_many_210, rettrace_target_many_211,
	rettrace_target_many_212, rettrace_target_many_213, rettrace_target_many_214,
	rettrace_target_many_215, rettrace_target_many_216, rettrace_target_many_217,
	rettrace_target_many_220, rettrace_target_many_221, rettrace_target_many_222,
	rettrace_target_many_223, rettrace_target_many_224, rettrace_target_many_225,
	rettrace_target_many_226, rettrace_target_many_227, rettrace_target_many_230,
	rettrace_target_many_231, rettrace_target_many_232, rettrace_target_many_233,
	rettrace_target_many_234, rettrace_target_many_235, rettrace_target_many_236,
	rettrace_target_many_237, rettrace_target_many_240, rettrace_target_many_241,
	rettrace_target_many_242, rettrace_target_many_243, rettrace_target_many_244,
	rettrace_target_many_245, rettrace_target_many_246, rettrace_target_many_247,
	rettrace_target_many_250, rettrace_target_many_251, rettrace_target_many_252,
	rettrace_target_many_253, rettrace_target_many_254, rettrace_target_many_255,
	rettrace_target_many_256, rettrace_target_many_257, rettrace_target_many_260,
	rettrace_target_many_261, rettrace_target_many_262, rettrace_target_many_263,
	rettrace_target_many_264, rettrace_target_many_265, rettrace_target_many_266,
	rettrace_target_many_267, rettrace_target_many_270, rettrace_target_many_271,
	rettrace_target_many_272, rettrace_target_many_273, rettrace_target_many_274,
	rettrace_target_many_275, rettrace_target_many_276, rettrace_target_many_277,
	rettrace_target_many_300, rettrace_target_many_301, rettrace_target_many_302,
	rettrace_target_many_303, rettrace_target_many_304, rettrace_target_many_305,
	rettrace_target_many_306, rettrace_target_many_307, rettrace_target_many_310,
	rettrace_target_many_311, rettrace_target_many_312, rettrace_target_many_313,
	rettrace_target_many_314, rettrace_target_many_315, rettrace_target_many_316,
	rettrace_target_many_317, rettrace_target_many_320, rettrace_target_many_321,
	rettrace_target_many_322, rettrace_target_many_323, rettrace_target_many_324,
	rettrace_target_many_325, rettrace_target_many_326, rettrace_target_many_327,
	rettrace_target_many_330, rettrace_target_many_331, rettrace_target_many_332,
	rettrace_target_many_333, rettrace_target_many_334, rettrace_target_many_335,
	rettrace_target_many_336, rettrace_target_many_337, rettrace_target_many_340,
	rettrace_target_many_341, rettrace_target_many_342, rettrace_target_many_343,
	rettrace_target_many_344, rettrace_target_many_345, rettrace_target_many_346,
	rettrace_target_many_347, rettrace_target_many_350, rettrace_target_many_351,
	rettrace_target_many_352, rettrace_target_many_353, rettrace_target_many_354,
	rettrace_target_many_355, rettrace_target_many_356, rettrace_target_many_357,
	rettrace_target_many_360, rettrace_target_many_361, rettrace_target_many_362,
	rettrace_target_many_363, rettrace_target_many_364, rettrace_target_many_365,
	rettrace_target_many_366, rettrace_target_many_367, rettrace_target_many_370,
	rettrace_target_many_371, rettrace_target_many_372, rettrace_target_many_373,
	rettrace_target_many_374, rettrace_target_many_375, rettrace_target_many_376,
	rettrace_target_many_377, rettrace_target_many_400, rettrace_target_many_401,
	rettrace_target_many_402, rettrace_target_many_403, rettrace_target_many_404,
	rettrace_target_many_405, rettrace_target_many_406, rettrace_target_many_407,
	rettrace_target_many_410, rettrace_target_many_411, rettrace_target_many_412,
	rettrace_target_many_413, rettrace_target_many_414, rettrace_target_many_415,
	rettrace_target_many_416, rettrace_target_many_417, rettrace_target_many_420,
	rettrace_target_many_421, rettrace_target_many_422, rettrace_target_many_423,
	rettrace_target_many_424, rettrace_target_many_425, rettrace_target_many_426,
	rettrace_target_many_427, rettrace_target_many_430, rettrace_target_many_431,
	rettrace_target_many_432, rettrace_target_many_433, rettrace_target_many_434,
	rettrace_target_many_435, rettrace_target_many_436, rettrace_target_many_437,
	rettrace_target_many_440, rettrace_target_many_441, rettrace_target_many_442,
	rettrace_target_many_443, rettrace_target_many_444, rettrace_target_many_445,
	rettrace_target_many_446, rettrace_target_many_447, rettrace_target_many_450,
	rettrace_target_many_451, rettrace_target_many_452, rettrace_target_many_453,
	rettrace_target_many_454, rettrace_target_many_455, rettrace_target_many_456,
	rettrace_target_many_457, rettrace_target_many_460, rettrace_target_many_461,
	rettrace_target_many_462, rettrace_target_many_463, rettrace_target_many_464,
	rettrace_target_many_465, rettrace_target_many_466, rettrace_target_many_467,
	rettrace_target_many_470, rettrace_target_many_471, rettrace_target_many_472,
	rettrace_target_many_473, rettrace_target_many_474, rettrace_target_many_475,
	rettrace_target_many_476, rettrace_target_many_477, rettrace_target_many_500,
	rettrace_target_many_501, rettrace_target_many_502, rettrace_target_many_503,
	rettrace_target_many_504, rettrace_target_many_505, rettrace_target_many_506,
	rettrace_target_many_507, rettrace_target_many_510, rettrace_target_many_511,
	rettrace_target_many_512, rettrace_target_many_513, rettrace_target_many_514,
	rettrace_target_many_515, rettrace_target_many_516, rettrace_target_many_517,
	rettrace_target_many_520, rettrace_target_many_521, rettrace_target_many_522,
	rettrace_target_many_523, rettrace_target_many_524, rettrace_target_many_525,
	rettrace_target_many_526, rettrace_target_many_527, rettrace_target_many_530,
	rettrace_target_many_531, rettrace_target_many_532, rettrace_target_many_533,
	rettrace_target_many_534, rettrace_target_many_535, rettrace_target_many_536,
	rettrace_target_many_537, rettrace_target_many_540, rettrace_target_many_541,
	rettrace_target_many_542, rettrace_target_many_543, rettrace_target_many_544,
	rettrace_target_many_545, rettrace_target_many_546, rettrace_target_many_547,
	rettrace_target_many_550, rettrace_target_many_551, rettrace_target_many_552,
	rettrace_target_many_553, rettrace_target_many_554, rettrace_target_many_555,
	rettrace_target_many_556, rettrace_target_many_557, rettrace_target_many_560,
	rettrace_target_many_561, rettrace_target_many_562, rettrace_target_many_563,
	rettrace_target_many_564, rettrace_target_many_565, rettrace_target_many_566,
	rettrace_target_many_567, rettrace_target_many_570, rettrace_target_many_571,
	rettrace_target_many_572, rettrace_target_many_573, rettrace_target_many_574,
	rettrace_target_many_575, rettrace_target_many_576, rettrace_target_many_577,
	rettrace_target_many_600, rettrace_target_many_601, rettrace_target_many_602,
	rettrace_target_many_603, rettrace_target_many_604, rettrace_target_many_605,
	rettrace_target_many_606, rettrace_target_many_607, rettrace_target_many_610,
	rettrace_target_many_611, rettrace_target_many_612, rettrace_target_many_613,
	rettrace_target_many_614, rettrace_target_many_615, rettrace_target_many_616,
	rettrace_target_many_617, rettrace_target_many_620, rettrace_target_many_621,
	rettrace_target_many_622, rettrace_target_many_623, rettrace_target_many_624,
	rettrace_target_many_625, rettrace_target_many_626, rettrace_target_many_627,
	rettrace_target_many_630, rettrace_target_many_631, rettrace_target_many_632,
	rettrace_target_many_633, rettrace_target_many_634, rettrace_target_many_635,
	rettrace_target_many_636, rettrace_target_many_637, rettrace_target_many_640,
	rettrace_target_many_641, rettrace_target_many_642, rettrace_target_many_643,
	rettrace_target_many_644, rettrace_target_many_645, rettrace_target_many_646,
	rettrace_target_many_647, rettrace_target_many_650, rettrace_target_many_651,
	rettrace_target_many_652, rettrace_target_many_653, rettrace_target_many_654,
	rettrace_target_many_655, rettrace_target_many_656, rettrace_target_many_657,
	rettrace_target_many_660, rettrace_target_many_661, rettrace_target_many_662,
	rettrace_target_many_663, rettrace_target_many_664, rettrace_target_many_665,
	rettrace_target_many_666, rettrace_target_many_667, rettrace_target_many_670,
	rettrace_target_many_671, rettrace_target_many_672, rettrace_target_many_673,
	rettrace_target_many_674, rettrace_target_many_675, rettrace_target_many_676,
	rettrace_target_many_677, rettrace_target_many_700, rettrace_target_many_701,
	rettrace_target_many_702, rettrace_target_many_703, rettrace_target_many_704,
	rettrace_target_many_705, rettrace_target_many_706, rettrace_target_many_707,
	rettrace_target_many_710, rettrace_target_many_711, rettrace_target_many_712,
	rettrace_target_many_713, rettrace_target_many_714, rettrace_target_many_715,
	rettrace_target_many_716, rettrace_target_many_717, rettrace_target_many_720,
	rettrace_target_many_721, rettrace_target_many_722, rettrace_target_many_723,
	rettrace_target_many_724, rettrace_target_many_725, rettrace_target_many_726,
	rettrace_target_many_727, rettrace_target_many_730, rettrace_target_many_731,
	rettrace_target_many_732, rettrace_target_many_733, rettrace_target_many_734,
	rettrace_target_many_735, rettrace_target_many_736, rettrace_target_many_737,
	rettrace_target_many_740, rettrace_target_many_741, rettrace_target_many_742,
	rettrace_target_many_743, rettrace_target_many_744, rettrace_target_many_745,
	rettrace_target_many_746, rettrace_target_many_747, rettrace_target_many_750,
	rettrace_target_many_751, rettrace_target_many_752, rettrace_target_many_753,
	rettrace_target_many_754, rettrace_target_many_755, rettrace_target_many_756,
	rettrace_target_many_757, rettrace_target_many_760, rettrace_target_many_761,
	rettrace_target_many_762, rettrace_target_many_763, rettrace_target_many_764,
	rettrace_target_many_765, rettrace_target_many_766, rettrace_target_many_767,
	rettrace_target_many_770, rettrace_target_many_771, rettrace_target_many_772,
	rettrace_target_many_773, rettrace_target_many_774, rettrace_target_many_775,
	rettrace_target_many_776, rettrace_target_many_777,
};

/* The guest ns the last "many" took (instructions under -icount shift=0). */
static unsigned long many_ns;
module_param(many_ns, ulong, 0444);
MODULE_PARM_DESC(many_ns, "Guest ns the last \"many\" command took");

void rettrace_target_call_many(unsigned int count)
{
	u64 start = ktime_get_ns();
	unsigned int i, j;

	for (j = 0; j < count; j++) {
		for (i = 0; i < ARRAY_SIZE(rettrace_target_many); i++)
			rettrace_target_many[i]();
		cond_resched();
	}
	WRITE_ONCE(many_ns, ktime_get_ns() - start);
}

static noinline int rettrace_target_nest_01(void)
{
	WRITE_ONCE(rettrace_target_many_last, 1);
	return -EHOSTDOWN;
}

#define RT_NEST(n, inner)							static noinline int rettrace_target_nest_##n(void)			{										int ret = rettrace_target_nest_##inner();													WRITE_ONCE(rettrace_target_many_last, 1##n);				return ret;							}

RT_NEST(02, 01) RT_NEST(03, 02) RT_NEST(04, 03) RT_NEST(05, 04)
RT_NEST(06, 05) RT_NEST(07, 06) RT_NEST(08, 07) RT_NEST(09, 08)
RT_NEST(10, 09) RT_NEST(11, 10) RT_NEST(12, 11) RT_NEST(13, 12)
RT_NEST(14, 13) RT_NEST(15, 14) RT_NEST(16, 15) RT_NEST(17, 16)
RT_NEST(18, 17) RT_NEST(19, 18) RT_NEST(20, 19)

/*
 * Their addresses escape: clang may then not change what these static
 * functions return (it would otherwise see that each returns -EHOSTDOWN,
 * fold that into the callers and leave the probes another value).
 */
int (*const rettrace_target_nest[])(void) = {
	rettrace_target_nest_01, rettrace_target_nest_02, rettrace_target_nest_03,
	rettrace_target_nest_04, rettrace_target_nest_05, rettrace_target_nest_06,
	rettrace_target_nest_07, rettrace_target_nest_08, rettrace_target_nest_09,
	rettrace_target_nest_10, rettrace_target_nest_11, rettrace_target_nest_12,
	rettrace_target_nest_13, rettrace_target_nest_14, rettrace_target_nest_15,
	rettrace_target_nest_16, rettrace_target_nest_17, rettrace_target_nest_18,
	rettrace_target_nest_19, rettrace_target_nest_20,
};

void rettrace_target_call_nest(unsigned int count)
{
	unsigned int j;

	for (j = 0; j < count; j++)
		rettrace_target_nest[ARRAY_SIZE(rettrace_target_nest) - 1]();
}
